// Parquet advice has the facts CSV advice has (issue 18, point 4): the same pandas frame written as CSV
// and as Parquet gets the same kinds of suggestion for every column (narrower ints, nullable ints for
// whole-number floats and ints with NA, float32 where it keeps the written precision, datetime for
// date-like text, category, nullable boolean), in exact and in quick mode, under pandas 3.0 and 2.2.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool, planDowncast, type FootprintResult } from '../../../src/core/footprint';
import { pythons, requirePython } from '../../support/python';

const dir = mkdtempSync(join(tmpdir(), 'headroom-parity-'));
const csv = join(dir, 'frame.csv');
const parquet = join(dir, 'frame.parquet');

const WRITE = String.raw`
import sys
import numpy as np, pandas as pd
rng = np.random.default_rng(1)
n = 5000
df = pd.DataFrame({
    'small': rng.integers(0, 100, n),
    'wide': rng.integers(-40000, 40000, n),
    'int_na': pd.array(np.where(rng.random(n) < 0.1, None, rng.integers(0, 200, n)), dtype='Int64'),
    'price': np.round(rng.random(n) * 100, 2),
    'whole': np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 1000, n).astype(float)),
    'precise': rng.random(n) * 1e-3 + 1,
    'stamp': pd.Series(pd.date_range('2024-01-01', periods=n, freq='h').strftime('%Y-%m-%d %H:%M:%S')),
    'day': pd.Series(pd.date_range('2020-01-01', periods=n, freq='D').strftime('%Y-%m-%d')),
    'city': rng.choice(['Paris', 'Lyon', 'Nice', 'Lille'], n),
    'flag': rng.random(n) < 0.5,
    'flag_na': pd.array(np.where(rng.random(n) < 0.1, None, rng.random(n) < 0.5), dtype='boolean'),
    'text': [f'id-{i}-{rng.integers(1e9)}' for i in range(n)],
})
df.to_csv(sys.argv[1], index=False)
df.to_parquet(sys.argv[2], index=False)
`;

before(() => {
  const run = spawnSync(requirePython(pythons.test), ['-c', WRITE, csv, parquet], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pandas failed: ${run.stderr}`);
});
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

function kinds(result: FootprintResult): string[] {
  const plan = planDowncast(result);
  return plan.columns.map((c) => `${c.name}: ${c.suggestion?.kind ?? 'none'}`);
}

describe('the same frame as CSV and as Parquet gets the same kinds of suggestion', () => {
  for (const pandas of ['3.0', '2.2']) {
    for (const mode of ['exact', 'quick'] as const) {
      it(`pandas ${pandas}, ${mode} mode`, async () => {
        const model = { pandas, python: '3.11', pyarrow: true };
        const fromCsv = await analyzeFile(csv, { model, mode, workers: 1 });
        const fromParquet = await analyzeFile(parquet, { model, mode, workers: 1 });
        assert.deepEqual(kinds(fromParquet), kinds(fromCsv));
        // and the facts behind them: float32's error and whole-number floats
        for (const name of ['price', 'whole', 'precise']) {
          const a = fromCsv.columns.find((c) => c.name === name)!;
          const b = fromParquet.columns.find((c) => c.name === name)!;
          assert.deepEqual(b.float32, a.float32, name);
          assert.equal(b.allIntegral, a.allIntegral, name);
        }
        // every kind is exercised
        assert.deepEqual([...new Set(kinds(fromCsv).map((k) => k.split(': ')[1]))].sort(), [
          'boolean',
          'category',
          'datetime',
          'float32',
          'integer',
          'none',
          'nullable-integer',
        ]);
      });
    }
  }
});
