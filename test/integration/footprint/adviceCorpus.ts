// Generated files for the advisor's integration tests: every kind of column the plan changes.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { seededRandom } from '../../../src/core/random';
import type { FootprintResult } from '../../../src/core/footprint/types';

/** The engine's deterministic PRNG (mulberry32), so every run writes the same files. */
export const rng = seededRandom;

const CITIES = ['Berlin', 'Paris', 'Zürich', 'Kraków', '東京', 'Lagos', 'Lima', 'Oslo', 'Québec', 'Ōsaka'];
/** ASCII only: pandas < 3 caches the UTF-8 of non-ASCII categories on astype, which no scan field carries yet. */
export const ASCII_CITIES = ['Berlin', 'Paris', 'Lagos', 'Lima', 'Oslo', 'Quebec'];
const PLANETS = ['mercury', 'venus', 'earth', 'mars', 'jupiter'];

/** Header and rows of the mixed corpus: ints of each width, NA ints, floats, strings, dates, bools, zeros. */
export function corpusRows(rows: number, seed = 7, cities = CITIES): string[][] {
  const r = rng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const header = [
    'id',
    'age',
    'level',
    'delta',
    'visits',
    'stock',
    'price',
    'ratio',
    'city',
    'planet',
    'day',
    'flag',
    'clicks',
    'note',
    'empty',
  ];
  const out = [header];
  for (let i = 0; i < rows; i++) {
    out.push([
      String(i),
      String(Math.floor(r() * 100)),
      String(128 + Math.floor(r() * 100)),
      String(Math.floor(r() * 2001) - 1000),
      r() < 0.1 ? '' : String(Math.floor(r() * 51)),
      r() < 0.05 ? 'NA' : String(Math.floor(r() * 70_000)),
      (Math.floor(r() * 100_000) / 100).toFixed(2),
      String(r()),
      pick(cities),
      pick(PLANETS),
      `${2020 + Math.floor(r() * 5)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`,
      r() < 0.1 ? '' : pick(['True', 'False', 'true', 'FALSE']),
      r() < 0.9 ? '0' : String(1 + Math.floor(r() * 9)),
      `note ${i} ${pick(['é', 'x', '€', '😀'])}`,
      '',
    ]);
  }
  return out;
}

export function writeDelimited(path: string, table: string[][], sep: ',' | '\t', gzip = false): void {
  const text = table.map((row) => row.join(sep)).join('\n') + '\n';
  writeFileSync(path, gzip ? gzipSync(text) : text);
}

/** Converts a CSV to Parquet with the given Python (pyarrow), keeping pandas' default dtypes. */
export function csvToParquet(python: string, csv: string, parquet: string): void {
  const script = `import pandas as pd, sys; pd.read_csv(sys.argv[1]).to_parquet(sys.argv[2], index=False)`;
  const run = spawnSync(python, ['-c', script, csv, parquet], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`writing ${parquet} failed: ${run.stderr}`);
}

/** Runs generated code in a Python and returns df.memory_usage(deep=True).sum() and the dtypes. */
export function measureCode(python: string, code: string): { bytes: number; dtypes: Record<string, string> } {
  const probe = `${code}\nimport json\nprint(json.dumps({"bytes": int(df.memory_usage(deep=True).sum()), "dtypes": {str(k): str(v) for k, v in df.dtypes.items()}}))`;
  const run = spawnSync(python, ['-c', probe], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`generated code failed in ${python}:\n${code}\n${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as { bytes: number; dtypes: Record<string, string> };
}

/** pandas' own scan of a file (pandas_profile.py): the ground truth the advisor is checked against. */
export function profile(python: string, file: string, format: string): FootprintResult {
  const script = join(__dirname, 'pandas_profile.py');
  const run = spawnSync(python, [script, file, format], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as FootprintResult;
}
