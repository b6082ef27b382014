// Many columns whose distinct values together pass the scan's budget (measurements: nearly every value
// new) beside columns of a few hundred values: the budget gives up the growing columns, so the small
// columns keep exact distinct counts (pandas' nunique), and the sizes stay pandas' to the byte.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { analyzeFile, closeFootprintPool } from '../../../src/core/footprint';
import { pythons, requirePython } from '../../support/python';
import { pandasTruth } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-budget-'));
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = 20_000;
const MEASURES = 70;
const CODES = 20;

/** ~12 MB: 70 columns of four-decimal measurements (~20,000 distinct each), 20 of codes 0-699, a city. */
function write(path: string): void {
  let s = 7;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const names = [
    ...Array.from({ length: MEASURES }, (_, c) => `m${c}`),
    ...Array.from({ length: CODES }, (_, c) => `code${c}`),
    'city',
  ];
  const lines = [names.join(',')];
  for (let i = 0; i < ROWS; i++) {
    const cells: string[] = [];
    for (let c = 0; c < MEASURES; c++) cells.push((next() * 1000).toFixed(4));
    // codes keep appearing for the first ~10,000 rows: past the moment the budget runs out
    for (let c = 0; c < CODES; c++) cells.push(String(Math.floor(next() * Math.min(700, 100 + i / 15))));
    cells.push(['Oslo', 'Lima', 'Pune', 'Kyiv'][i % 4]);
    lines.push(cells.join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

it('past the distinct budget, the growing columns are given up and the small ones stay exact', async () => {
  const path = join(dir, 'budget.csv');
  write(path);
  const python = requirePython(pythons.test);
  const py = spawnSync(
    python,
    ['-c', `import pandas as pd, json; print(json.dumps(pd.read_csv(${JSON.stringify(path)}).nunique().tolist()))`],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(py.status, 0, py.stderr);
  const nunique = JSON.parse(py.stdout) as number[];
  const [truth] = pandasTruth(python, [{ path, format: 'csv' }], []);
  for (const workers of [1, 2]) {
    const got = await analyzeFile(path, {
      model: { pandas: '3.0', python: '3.11', pyarrow: true },
      mode: 'exact',
      workers,
    });
    assert.equal(got.totalBytes, truth.total, `${workers} worker(s): total`);
    const measures = got.columns.slice(0, MEASURES);
    assert.ok(
      measures.every((c) => c.highCardinality && c.distinct === null),
      `${workers} worker(s): measurements given up: ${measures.map((c) => c.distinct).join(' ')}`,
    );
    const small = got.columns.slice(MEASURES);
    assert.deepEqual(
      small.map((c) => c.distinct),
      nunique.slice(MEASURES),
      `${workers} worker(s): codes and city exact`,
    );
  }
});
