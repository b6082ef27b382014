// Ground truth from real pandas: one Python process measures many files (read_csv / read_table /
// read_parquet + memory_usage(deep=True)), so the corpus tests stay fast.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { analyzeFile } from '../../../src/core/footprint';
import { pythons, requirePython } from '../../support/python';
import type { PandasModel, ReadOptions } from '../../../src/core/footprint/types';

export interface TruthRequest {
  path: string;
  format: 'csv' | 'tsv' | 'parquet';
  read?: ReadOptions;
}

export interface TruthResult {
  rows?: number;
  total?: number;
  index?: number;
  columns?: { name: string; dtype: string; bytes: number }[];
  warnings?: string[];
  error?: string;
}

const SCRIPT = String.raw`
import sys, json, warnings
import pandas as pd
if len(sys.argv) > 1 and sys.argv[1] == 'python-strings':
    pd.set_option('mode.string_storage', 'python')
reqs = json.load(sys.stdin)
out = []
for r in reqs:
    kw = {}
    read = r.get('read') or {}
    for k in ('sep', 'usecols', 'nrows', 'dtype', 'compression', 'encoding'):
        if k in read: kw[k] = read[k]
    if 'parseDates' in read: kw['parse_dates'] = read['parseDates']
    try:
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter('always')
            if r['format'] == 'parquet': df = pd.read_parquet(r['path'])
            elif r['format'] == 'tsv': df = pd.read_table(r['path'], **kw)
            else: df = pd.read_csv(r['path'], **kw)
            mu = df.memory_usage(deep=True)
        out.append({'rows': len(df), 'total': int(mu.sum()), 'index': int(mu.iloc[0]),
            'columns': [{'name': str(c), 'dtype': str(df[c].dtype), 'bytes': int(mu.iloc[i + 1])} for i, c in enumerate(df.columns)],
            'warnings': [type(x.message).__name__ + ': ' + str(x.message) for x in w if 'DtypeWarning' in type(x.message).__name__]})
    except Exception as e:
        out.append({'error': type(e).__name__ + ': ' + str(e)})
json.dump(out, sys.stdout)
`;

/** The interpreter for a model, and the argument that simulates pandas 3 without pyarrow. */
export const truthModels: { label: string; python: string; model: PandasModel; args: string[] }[] = [
  { label: 'pandas 3.0', python: pythons.test, model: { pandas: '3.0', python: '3.11', pyarrow: true }, args: [] },
  {
    label: 'pandas 3.0, python strings',
    python: pythons.test,
    model: { pandas: '3.0', python: '3.11', pyarrow: false },
    args: ['python-strings'],
  },
  { label: 'pandas 2.2', python: pythons.pandas2, model: { pandas: '2.2', python: '3.11', pyarrow: true }, args: [] },
  { label: 'pandas 1.5', python: pythons.pandas1, model: { pandas: '1.5', python: '3.11', pyarrow: false }, args: [] },
];

export function pandasTruth(python: string, requests: TruthRequest[], args: string[] = []): TruthResult[] {
  const result = spawnSync(requirePython(python), ['-c', SCRIPT, ...args], {
    input: JSON.stringify(requests),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`pandas failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as TruthResult[];
}

/** pandas 3's nunique() of each column of a CSV, read with `readArgs` (Python keyword arguments). */
export function pandasNunique(path: string, readArgs = ''): number[] {
  const read = `pd.read_csv(${JSON.stringify(path)}${readArgs ? `, ${readArgs}` : ''})`;
  const py = spawnSync(
    requirePython(pythons.test),
    ['-c', `import pandas as pd, json; print(json.dumps(${read}.nunique().tolist()))`],
    { encoding: 'utf8' },
  );
  assert.equal(py.status, 0, py.stderr);
  return JSON.parse(py.stdout) as number[];
}

/**
 * Asserts that the exact scan's distinct counts are `expected` with one worker and with two (the
 * ranges then merge their values); returns the two totals.
 */
export async function assertDistinctCounts(path: string, expected: number[]): Promise<number[]> {
  const totals: number[] = [];
  for (const workers of [1, 2]) {
    const got = await analyzeFile(path, {
      model: { pandas: '3.0', python: '3.11', pyarrow: true },
      mode: 'exact',
      workers,
    });
    assert.deepEqual(
      got.columns.map((c) => c.distinct),
      expected,
      `${workers} worker(s)`,
    );
    totals.push(got.totalBytes);
  }
  return totals;
}
