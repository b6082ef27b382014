// `headroom footprint` end to end: the built CLI on generated files, checked against real pandas.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythons, repoRoot, requirePython } from '../../support/python';
import { corpusRows, measureCode, writeDelimited } from './adviceCorpus';

const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-'));
const cli = join(repoRoot, 'dist', 'cli.js');
const csv = join(dir, 'corpus.csv');

function headroom(...args: string[]) {
  const run = spawnSync(process.execPath, [cli, 'footprint', ...args], {
    encoding: 'utf8',
    cwd: dir,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

function pandasTotal(python: string, file: string): number {
  const run = spawnSync(
    python,
    ['-c', 'import sys, pandas as pd; print(int(pd.read_csv(sys.argv[1]).memory_usage(deep=True).sum()))', file],
    { encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  return Number(run.stdout.trim());
}

before(() => {
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, build.stderr);
  writeDelimited(csv, corpusRows(2000, 3), ',');
});

for (const [label, python] of [
  ['pandas 2.2', pythons.pandas2],
  ['pandas 1.5', pythons.pandas1],
  ['pandas 3 + pyarrow', pythons.test],
] as const) {
  test(`--json with ${label}: the totals match pandas, and the code gives suggestedTotalBytes`, () => {
    const out = headroom(csv, '--json', '--python', requirePython(python));
    assert.equal(out.code, 0, out.stderr);
    const r = JSON.parse(out.stdout);
    for (const key of [
      'file',
      'format',
      'rows',
      'indexBytes',
      'totalBytes',
      'columns',
      'suggestedTotalBytes',
      'code',
      'model',
      'mode',
    ])
      assert.ok(key in r, key);
    assert.equal(r.format, 'csv');
    assert.equal(r.mode, 'exact');
    assert.equal(r.rows, 2000);
    assert.equal(r.totalBytes, pandasTotal(python, csv));
    assert.ok(
      r.columns.every(
        (c: Record<string, unknown>) =>
          'name' in c && 'dtype' in c && 'bytes' in c && 'nulls' in c && 'suggestion' in c,
      ),
    );
    assert.equal(r.columns.find((c: { name: string }) => c.name === 'age').suggestion.dtype, 'int8');
    assert.equal(measureCode(python, r.code).bytes, r.suggestedTotalBytes);
  });
}

test('model flags override the interpreter; several files give an array', () => {
  const tsv = join(dir, 'small.tsv');
  writeFileSync(tsv, 'a\tb\n1\tx\n2\ty\n');
  const out = headroom(
    csv,
    tsv,
    '--json',
    '--pandas',
    '3.0',
    '--python-version',
    '3.12',
    '--no-pyarrow',
    '--python',
    pythons.pandas1,
  );
  assert.equal(out.code, 0, out.stderr);
  const list = JSON.parse(out.stdout);
  assert.equal(list.length, 2);
  assert.deepEqual(list[0].model, { pandas: '3.0', python: '3.12', pyarrow: false });
  assert.equal(list[1].format, 'tsv');
  assert.match(list[1].code, /pd\.read_table\(/);
});

test('human output: a table, the totals and the code', () => {
  const out = headroom(csv, '--python', pythons.pandas2, '--available', '64GB', '--n-jobs', '4');
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stdout, /column\s+dtype\s+bytes\s+nulls\s+suggested/);
  assert.match(out.stdout, /after: .* saved/);
  assert.match(out.stdout, /df = pd\.read_csv\(/);
  assert.match(out.stdout, /With 4 workers \(5 copies of the frame\): all rows fit/);
});

test('bad input: plain message and hint, non-zero exit, no stack trace', () => {
  const missing = headroom(join(dir, 'nope.csv'), '--python', pythons.pandas2);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.csv/);
  assert.doesNotMatch(missing.stderr, /\n\s+at /);
  const empty = join(dir, 'empty.csv');
  writeFileSync(empty, '');
  const emptyOut = headroom(empty, '--json', '--python', pythons.pandas2);
  assert.equal(emptyOut.code, 1);
  assert.equal(JSON.parse(emptyOut.stdout).error.code, 'empty');
  const flag = headroom(csv, '--pandas', 'three');
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--pandas takes a major\.minor version/);
  const both = headroom(csv, '--exact', '--quick');
  assert.equal(both.code, 2);
  const none = headroom();
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no FILE given/);
});
