// Files whose data rows have more fields than the header has names: pandas makes the leading fields
// the index (an Index, or a MultiIndex for several). Exact mode equals real pandas to the byte on
// scikit-learn's own breast_cancer.csv and wine_data.csv and on generated files, under pandas 3 (arrow
// and Python strings), 2.2 and 1.5, and so do the two ways out it states (index_col=False, header=None).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adviseFootprint, analyzeFile, closeFootprintPool, FootprintError } from '../../../src/core/footprint';
import { pythons, requirePython } from '../../support/python';
import { truthModels } from './pandasTruth';

const SCRIPT = String.raw`
import sys, json, warnings
import pandas as pd
if len(sys.argv) > 1 and sys.argv[1] == 'python-strings':
    pd.set_option('mode.string_storage', 'python')
warnings.simplefilter('ignore')
out = []
for path in json.load(sys.stdin):
    df = pd.read_csv(path)
    mu = df.memory_usage(deep=True)
    out.append({'rows': len(df), 'total': int(mu.sum()), 'index': int(mu.iloc[0]), 'kind': type(df.index).__name__,
        'levels': df.index.nlevels,
        'columns': [f'{c}:{df[c].dtype}:{int(mu.iloc[i + 1])}' for i, c in enumerate(df.columns)],
        'indexColFalse': int(pd.read_csv(path, index_col=False).memory_usage(deep=True).sum()),
        'allColumns': int(pd.read_csv(path, header=None, skiprows=1).memory_usage(deep=True).sum())})
json.dump(out, sys.stdout)
`;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function rows(n: number, make: (i: number, r: () => number) => (string | number)[]): string {
  const r = rng(n);
  return Array.from({ length: n }, (_, i) => make(i, r).join(',')).join('\n') + '\n';
}

const pick = <T>(r: () => number, xs: T[]) => xs[Math.floor(r() * xs.length)];

/** One rule each: numeric and text index values, duplicates, NA, many levels, wide codes. */
const generated: Record<string, string> = {
  oneIntDup: 'a,b\n' + rows(50, (i, r) => [Math.floor(r() * 9), i, 'x']),
  oneText: 'a,b\n' + rows(40, (i, r) => [pick(r, ['q', 'b', 'zz', 'é']), i, r().toFixed(2)]),
  oneFloatNA: 'a,b\n' + rows(30, (i, r) => [pick(r, ['1.5', '', '2.50', '-0', '0', 'inf']), i, 'x']),
  twoIntDup: 'a,b\n' + rows(60, (i) => [i % 3, i % 5, i, 'x']),
  twoTextNum: 'a,b\n' + rows(400, (i, r) => [`k${Math.floor(r() * 6)}`, `é${Math.floor(r() * 300)}`, i, 'x']),
  twoNA: 'a,b\n' + rows(80, (i, r) => [pick(r, ['x', '', 'y', 'NA']), pick(r, ['1.5', '', '2', '3e3', '2.0']), i, 'x']),
  twoSortedText: 'a,b\n' + rows(30, (i) => ['abc'[Math.floor(i / 10)], i, i, 'x']),
  twoBool: 'a,b\n' + rows(40, (i, r) => [pick(r, ['True', 'false', 'TRUE']), pick(r, ['x', 'y']), i, 'z']),
  twoBoolNA: 'a,b\n' + rows(40, (i, r) => [pick(r, ['True', 'false', '']), i % 4, i, 'z']),
  twoAllNA: 'a,b\n' + rows(10, (i) => ['', i, i, 'x']),
  threeLevels: 'a\n' + rows(300, (i, r) => [Math.floor(r() * 3), pick(r, ['u', 'v']), Math.floor(r() * 200), i]),
  // 130 distinct values: int16 codes; text with quotes and a separator
  wideCodes: 'a,b\n' + rows(500, (i, r) => [i % 130, `"n, ${Math.floor(r() * 40)}"`, i, r().toFixed(3)]),
};

const dir = mkdtempSync(join(tmpdir(), 'headroom-implicit-index-'));
const files: { name: string; path: string }[] = [];
const truth = new Map<string, Record<string, unknown>[]>();

before(() => {
  const where = spawnSync(
    requirePython(pythons.test),
    ['-c', 'import sklearn, os; print(os.path.dirname(sklearn.__file__))'],
    {
      encoding: 'utf8',
    },
  );
  const data = join(where.stdout.trim(), 'datasets', 'data');
  files.push({ name: 'sklearn breast_cancer.csv', path: join(data, 'breast_cancer.csv') });
  files.push({ name: 'sklearn wine_data.csv', path: join(data, 'wine_data.csv') });
  for (const [name, text] of Object.entries(generated)) {
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, text);
    files.push({ name, path });
  }
  for (const m of truthModels) {
    const run = spawnSync(requirePython(m.python), ['-c', SCRIPT, ...m.args], {
      input: JSON.stringify(files.map((f) => f.path)),
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`pandas failed: ${run.stderr}`);
    truth.set(m.label, JSON.parse(run.stdout) as Record<string, unknown>[]);
  }
});
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

describe('implicit index columns equal pandas memory_usage(deep=True)', () => {
  for (const m of truthModels) {
    it(`the index, the columns and both ways out, under ${m.label}`, async () => {
      const failures: string[] = [];
      const expected = truth.get(m.label)!;
      for (let i = 0; i < files.length; i++) {
        const want = expected[i];
        const got = await analyzeFile(files[i].path, { model: m.model, mode: 'exact', workers: 1 });
        const ii = got.implicitIndex;
        const mine = {
          rows: got.rows,
          total: got.totalBytes,
          index: got.indexBytes,
          kind: ii?.kind,
          levels: ii?.levels,
          columns: got.columns.map((c) => `${c.name}:${c.dtype}:${c.bytes}`),
          indexColFalse: ii?.indexColFalseBytes,
          allColumns: ii?.allColumnsBytes,
        };
        const theirs = { ...want, kind: want.levels === 1 ? 'Index' : want.kind };
        delete (theirs as Record<string, unknown>).levels;
        const { levels, ...mineNoLevels } = mine;
        if (levels !== want.levels) failures.push(`${files[i].name}: levels ${levels} != ${String(want.levels)}`);
        try {
          assert.deepEqual(mineNoLevels, theirs);
        } catch {
          failures.push(
            `${files[i].name}:\n  engine ${JSON.stringify(mineNoLevels)}\n  pandas ${JSON.stringify(theirs)}`,
          );
        }
      }
      assert.deepEqual(failures, []);
    });
  }

  it('quick mode gives the same exact figures for a MultiIndex file', async () => {
    const m = truthModels[0];
    const path = files.find((f) => f.name === 'threeLevels')!.path;
    const quick = await analyzeFile(path, { model: m.model, mode: 'quick' });
    const exact = await analyzeFile(path, { model: m.model, mode: 'exact', workers: 1 });
    assert.equal(quick.totalBytes, exact.totalBytes);
    assert.equal(quick.indexBytes, exact.indexBytes);
  });

  it('the advice states what index_col=False and header=None would do, in bytes', async () => {
    const m = truthModels[2];
    const wine = files[1].path;
    const result = await analyzeFile(wine, { model: m.model, mode: 'exact', workers: 1 });
    const want = truth.get(m.label)![1];
    const advice = adviseFootprint(result, { path: 'wine_data.csv' });
    const note = advice.indexNote ?? '';
    assert.match(note, /MultiIndex of 9 levels/);
    assert.match(note, /index_col=False/);
    assert.match(note, /header=None, skiprows=1/);
    assert.ok(note.includes(Number(want.indexColFalse).toLocaleString('en-US')), note);
    assert.ok(note.includes(Number(want.allColumns).toLocaleString('en-US')), note);
  });

  it('a level with more distinct values than Headroom tracks is refused in plain words, not guessed', async () => {
    const path = join(dir, 'manyLevels.csv');
    writeFileSync(path, 'a,b\n' + rows(70_000, (i) => [i, i % 3, 'x', 1]));
    await assert.rejects(
      analyzeFile(path, { model: truthModels[0].model, mode: 'exact', workers: 1 }),
      (e: unknown) =>
        e instanceof FootprintError &&
        e.code === 'unsupported' &&
        /MultiIndex/.test(e.message) &&
        /index_col=False/.test(e.hint ?? ''),
    );
  });
});
