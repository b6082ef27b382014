// Parquet footprints against pandas: exact and quick analysis of a generated ~80 MB Parquet file
// (2.2M rows: ids, money, ratios, categories, dates, bools, free text, nulls; written by pyarrow with
// its defaults: dictionary pages, snappy) vs pd.read_parquet + memory_usage(deep=True), in one run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleChild, child } from './footprintEngine';
import { writeResult } from './lib';
import { pythons } from '../test/support/python';

const dataDir = join(__dirname, '.data');
const file = join(dataDir, 'footprint-2m.parquet');

const GENERATE = `
import sys, numpy as np, pyarrow as pa, pyarrow.parquet as pq
n = 2_228_884
r = np.random.default_rng(42)
cities = np.array(['Paris', 'Berlin', 'São Paulo', 'Zürich', 'New York', 'Tokyo', 'Lagos', 'Lima'], dtype=object)
segments = np.array(['retail', 'pro', 'enterprise', 'edu'], dtype=object)
price = np.round(r.random(n) * 100, 4)
dates = np.datetime64('2023-01-01') + r.integers(0, 365, n)
comment = np.char.add('c', r.integers(0, 36 ** 6, n).astype(str))
comment[r.random(n) < 0.1] = 'late, again'
pq.write_table(pa.table({
    'id': np.arange(n),
    'user_id': r.integers(0, 5_000_000, n),
    'amount': np.round(r.random(n) * 1000, 2),
    'price': pa.array(price, mask=r.random(n) < 0.02),
    'ratio': r.random(n),
    'score': r.integers(0, 100, n),
    'city': cities[r.integers(0, len(cities), n)],
    'segment': segments[r.integers(0, len(segments), n)],
    'signup_date': dates.astype(str),
    'active': r.random(n) < 0.5,
    'comment': comment,
}), sys.argv[1])
`;

function pandasRun(path: string): { seconds: number; cpuSeconds: number; total: number } {
  const script = `
import time, json, warnings
warnings.simplefilter('ignore')
import pandas as pd
t = time.perf_counter()
c = time.process_time()
df = pd.read_parquet(${JSON.stringify(path)})
total = int(df.memory_usage(deep=True).sum())
print(json.dumps({'seconds': time.perf_counter() - t, 'cpuSeconds': time.process_time() - c, 'total': total}))`;
  const r = spawnSync(pythons.test, ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim());
}

function main(): void {
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(file)) {
    console.log('generating bench/.data/footprint-2m.parquet ...');
    const made = spawnSync(pythons.test, ['-c', GENERATE, file], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
  }
  bundleChild(dataDir);
  child(file, 'quick'); // warm the page cache
  // interleaved, best wall time of each side (fresh processes: the engine's first analysis is cold)
  const exactRuns: ReturnType<typeof child>[] = [];
  const quickRuns: ReturnType<typeof child>[] = [];
  const pandasRuns: ReturnType<typeof pandasRun>[] = [];
  for (let i = 0; i < 3; i++) {
    exactRuns.push(child(file, 'exact'));
    quickRuns.push(child(file, 'quick'));
    pandasRuns.push(pandasRun(file));
  }
  const best = <T>(runs: T[], time: (r: T) => number) => [...runs].sort((a, b) => time(a) - time(b))[0];
  const exact = best(exactRuns, (r) => r.runs[0]);
  const quick = best(quickRuns, (r) => r.runs[0]);
  const pandas = best(pandasRuns, (r) => r.seconds);
  const exactSeconds = exact.runs[0] / 1000;
  const quickSeconds = quick.runs[0] / 1000;
  writeResult(
    'parquet',
    {
      fileBytes: statSync(file).size,
      rows: exact.rows,
      exactSeconds,
      exactRunsMs: exactRuns.map((r) => r.runs[0]),
      exactCpuSeconds: exact.cpuRuns[0] / 1000,
      quickSeconds,
      quickRunsMs: quickRuns.map((r) => r.runs[0]),
      pandasSeconds: pandas.seconds,
      pandasRunsSeconds: pandasRuns.map((r) => r.seconds),
      pandasCpuSeconds: pandas.cpuSeconds,
      exactVsPandas: pandas.seconds / exactSeconds,
      quickVsPandas: pandas.seconds / quickSeconds,
      exactTotalBytes: exact.totalBytes,
      quickTotalBytes: quick.totalBytes,
      pandasTotalBytes: pandas.total,
      totalsEqual: exact.totalBytes === pandas.total && quick.totalBytes === pandas.total,
      exactPeakRssBytes: exact.maxRssBytes,
      loadAverage: loadavg(),
    },
    [
      `parquet ${(statSync(file).size / 1e6).toFixed(0)} MB, ${exact.rows} rows: exact ${exactSeconds.toFixed(2)} s, quick ${quickSeconds.toFixed(2)} s; pandas read_parquet+memory_usage ${pandas.seconds.toFixed(2)} s (CPU ${pandas.cpuSeconds.toFixed(2)} s) => exact ${(pandas.seconds / exactSeconds).toFixed(2)}x, quick ${(pandas.seconds / quickSeconds).toFixed(2)}x on ${cpus().length} cores`,
      `totals: exact ${exact.totalBytes}, quick ${quick.totalBytes}, pandas ${pandas.total} (${exact.totalBytes === pandas.total && quick.totalBytes === pandas.total ? 'equal' : 'DIFFERENT'})`,
      `peak RSS of the exact analysis process: ${(exact.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
    ],
  );
}

main();
