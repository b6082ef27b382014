// Bad input: each failure pandas would hit is reported as a FootprintError in plain words (checked
// against the error pandas itself raises), nothing hangs, memory stays bounded.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool, FootprintError, type FootprintErrorCode } from '../../../src/core/footprint';
import { pythons } from '../../support/python';
import { pandasTruth } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-badinput-'));
const model = { pandas: '3.0', python: '3.11', pyarrow: true };
const cases: Record<string, string | Buffer> = {
  nonUtf8: Buffer.from('a,b\nok,1\ncaf\xe9,2\n', 'latin1'),
  cp1252: Buffer.from([...Buffer.from('a\nprice \x80 5\n', 'latin1')]),
  ragged: 'a,b\n1,2\n\n"x\ny",2\n3,4,5\n',
  empty: '',
  blankOnly: '\n\n  \n',
  eofInQuotes: 'a,b\n1,"abc\n2,3\n',
  binary: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]),
};
const paths: Record<string, string> = {};
let pandasErrors: string[] = [];

before(() => {
  for (const [name, body] of Object.entries(cases)) {
    paths[name] = join(dir, `${name}.csv`);
    writeFileSync(paths[name], body);
  }
  pandasErrors = pandasTruth(
    pythons.test,
    Object.values(paths).map((path) => ({ path, format: 'csv' as const })),
  ).map((r) => r.error ?? '');
});
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

async function failure(path: string, options = {}): Promise<FootprintError> {
  try {
    await analyzeFile(path, { model, mode: 'exact', ...options });
  } catch (error) {
    assert.ok(error instanceof FootprintError, `not a FootprintError: ${String(error)}`);
    return error;
  }
  assert.fail(`${path} did not fail`);
}

describe('bad input', () => {
  const expected: Record<string, [FootprintErrorCode, string]> = {
    nonUtf8: ['encoding', 'UnicodeDecodeError'],
    cp1252: ['encoding', 'UnicodeDecodeError'],
    ragged: ['ragged', 'Expected 2 fields in line 5, saw 3'],
    empty: ['empty', 'No columns to parse from file'],
    blankOnly: ['empty', 'No columns to parse from file'],
    eofInQuotes: ['ragged', 'EOF inside string'],
    binary: ['binary', ''],
  };
  for (const [name, [code, text]] of Object.entries(expected)) {
    it(`${name}: ${code}, as pandas reports it`, async () => {
      const error = await failure(paths[name]);
      assert.equal(error.code, code, error.message);
      assert.ok(error.message.includes(text), `${error.message} lacks ${text}`);
      assert.ok(error.hint === undefined || error.hint.length > 0);
      const pandasError = pandasErrors[Object.keys(cases).indexOf(name)];
      assert.notEqual(pandasError, '', `pandas read ${name} without error`);
      if (text) assert.ok(pandasError.includes(text), `pandas said ${pandasError}`);
    });
  }

  it('suggests an encoding for non-UTF-8 bytes, and latin-1 then works', async () => {
    const error = await failure(paths.nonUtf8);
    assert.match(error.hint ?? '', /encoding='latin-1'/);
    assert.match((await failure(paths.cp1252)).hint ?? '', /cp1252/);
    const ok = await analyzeFile(paths.nonUtf8, { model, mode: 'exact', read: { encoding: 'latin-1' } });
    assert.equal(ok.rows, 2);
  });

  it('reads cp1252 as Python decodes it: 0x80..0x9f are the euro sign and its kin, not latin-1', async () => {
    const path = join(dir, 'cp1252-names.csv');
    const rows = Array.from({ length: 30 }, (_, i) => `${['\x80 5', '\x93q\x94', 'caf\xe9'][i % 3]},${i}`);
    writeFileSync(path, Buffer.from(['pr\x80is,n\x9f', ...rows].join('\n') + '\n', 'latin1'));
    const read = { encoding: 'cp1252' };
    const [truth] = pandasTruth(pythons.test, [{ path, format: 'csv', read }]);
    const got = await analyzeFile(path, { model, mode: 'exact', read });
    assert.deepEqual(
      got.columns.map((c) => c.name),
      truth.columns!.map((c) => c.name),
    );
    assert.deepEqual(got.columns[0].name, 'pr€is');
    assert.equal(got.totalBytes, truth.total);
    assert.equal(got.columns[0].distinct, 3);
    // the categories' sizes come from the decoded values ('€ 5' is a 2-byte-a-character str); the
    // advice reads the column as dtype='category'
    const code = `import sys, pandas as pd; s = pd.read_csv(sys.argv[1], encoding='cp1252', dtype={'pr€is': 'category'}).iloc[:, 0]; print(int(s.memory_usage(deep=True, index=False)))`;
    const category = spawnSync(pythons.test, ['-c', code, path], { encoding: 'utf8' });
    assert.equal(got.columns[0].categoryBytes, Number(category.stdout), category.stderr);
  });

  it('missing file and directory', async () => {
    assert.equal((await failure(join(dir, 'nope.csv'))).code, 'missing');
    mkdirSync(join(dir, 'folder.csv'));
    assert.equal((await failure(join(dir, 'folder.csv'))).code, 'unreadable');
  });

  it('corrupt parquet', async () => {
    const path = join(dir, 'broken.parquet');
    writeFileSync(path, Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(100, 7), Buffer.from('PAR1')]));
    assert.equal((await failure(path)).code, 'parquet');
    writeFileSync(join(dir, 'fake.parquet'), 'a,b\n1,2\n');
    assert.equal((await failure(join(dir, 'fake.parquet'))).code, 'parquet');
  });

  // pandas reads it (one 96 MB column name, no rows): so does Headroom (issue 17: refuse only what
  // pandas refuses), with memory bounded by that one record.
  it('a 96 MB file without any newline is read as pandas reads it, with bounded memory', async () => {
    const path = join(dir, 'oneline.csv');
    const fd = openSync(path, 'w');
    const block = Buffer.alloc(1 << 20, 'a');
    for (let i = 0; i < 96; i++) writeSync(fd, block);
    closeSync(fd);
    const before = process.memoryUsage().rss;
    const got = await analyzeFile(path, { model, mode: 'exact' });
    assert.ok(process.memoryUsage().rss - before < 512 * 1024 * 1024);
    // (not pandasTruth: its JSON would carry the 96 MB column name)
    const code =
      'import sys, pandas as pd; df = pd.read_csv(sys.argv[1]); print(len(df), int(df.memory_usage(deep=True).sum()), len(df.columns))';
    const out = spawnSync(pythons.test, ['-c', code, path], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(out.stdout.trim().split(' ').map(Number), [got.rows, got.totalBytes, got.columns.length]);
    assert.deepEqual([got.rows, got.columns.length], [0, 1]);
  });

  it('cancellation: an aborted signal stops the scan with code cancelled', async () => {
    const path = join(dir, 'big.csv');
    const rows = ['a,b,c'];
    for (let i = 0; i < 600_000; i++) rows.push(`${i},${i * 0.5},name${i % 1000}`);
    writeFileSync(path, rows.join('\n'));
    const controller = new AbortController();
    const pending = analyzeFile(path, { model, mode: 'exact', signal: controller.signal, workers: 2 });
    setTimeout(() => controller.abort(), 5);
    await assert.rejects(pending, (e: unknown) => e instanceof FootprintError && e.code === 'cancelled');
    const pre = new AbortController();
    pre.abort();
    assert.equal((await failure(path, { signal: pre.signal })).code, 'cancelled');
    // and the engine still works afterwards
    const ok = await analyzeFile(path, { model, mode: 'exact', workers: 2 });
    assert.equal(ok.rows, 600_000);
  });
});
