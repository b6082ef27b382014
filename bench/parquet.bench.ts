// Parquet footprints against pandas: exact and quick analysis of generated Parquet files vs
// pd.read_parquet + memory_usage(deep=True), in one run. The 87 MB file has 2.2M rows (ids, money,
// ratios, categories, dates, bools, free text, nulls; pyarrow's defaults: dictionary pages, snappy);
// the 1 GB file is the same rows twelve times (twelve row groups).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { bundleChild, child, pandasRun } from './footprintEngine';
import { writeResult } from './lib';
import { pythons } from '../test/support/python';

const dataDir = join(__dirname, '.data');
const small = join(dataDir, 'footprint-2m.parquet');
const big = join(dataDir, 'footprint-27m.parquet');

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

const REPEAT = `
import sys, pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
with pq.ParquetWriter(sys.argv[2], t.schema) as w:
    for _ in range(12):
        w.write_table(t, row_group_size=len(t))
`;

/** Exact, quick and pandas on one file, interleaved; the best wall time of each (fresh processes). */
function measure(file: string, runs: number) {
  child(file, 'quick'); // warm the page cache
  const exactRuns: ReturnType<typeof child>[] = [];
  const quickRuns: ReturnType<typeof child>[] = [];
  const pandasRuns: ReturnType<typeof pandasRun>[] = [];
  for (let i = 0; i < runs; i++) {
    exactRuns.push(child(file, 'exact'));
    quickRuns.push(child(file, 'quick'));
    pandasRuns.push(pandasRun(file, 'read_parquet'));
  }
  const best = <T>(all: T[], time: (r: T) => number) => [...all].sort((a, b) => time(a) - time(b))[0];
  const exact = best(exactRuns, (r) => r.runs[0]);
  const quick = best(quickRuns, (r) => r.runs[0]);
  const pandas = best(pandasRuns, (r) => r.seconds);
  const offPercent = (100 * Math.abs(quick.totalBytes - pandas.total)) / pandas.total;
  const results = {
    fileBytes: statSync(file).size,
    rows: exact.rows,
    exactSeconds: exact.runs[0] / 1000,
    exactRunsMs: exactRuns.map((r) => r.runs[0]),
    exactCpuSeconds: exact.cpuRuns[0] / 1000,
    quickSeconds: quick.runs[0] / 1000,
    quickRunsMs: quickRuns.map((r) => r.runs[0]),
    quickOffPercent: offPercent,
    quickUncertaintyPercent: quick.uncertaintyPercent,
    pandasSeconds: pandas.seconds,
    pandasRunsSeconds: pandasRuns.map((r) => r.seconds),
    pandasCpuSeconds: pandas.cpuSeconds,
    exactVsPandas: pandas.seconds / (exact.runs[0] / 1000),
    quickVsPandas: pandas.seconds / (quick.runs[0] / 1000),
    exactTotalBytes: exact.totalBytes,
    quickTotalBytes: quick.totalBytes,
    pandasTotalBytes: pandas.total,
    exactEqualsPandas: exact.totalBytes === pandas.total,
    exactPeakRssBytes: exact.maxRssBytes,
  };
  const summary = [
    `${(results.fileBytes / 1e6).toFixed(0)} MB, ${exact.rows} rows: exact ${results.exactSeconds.toFixed(2)} s (CPU ${results.exactCpuSeconds.toFixed(2)} s), quick ${(quick.runs[0] / 1000).toFixed(2)} s; pandas read_parquet+memory_usage ${pandas.seconds.toFixed(2)} s (CPU ${pandas.cpuSeconds.toFixed(2)} s) => exact ${results.exactVsPandas.toFixed(2)}x, quick ${results.quickVsPandas.toFixed(1)}x`,
    `  totals: exact ${exact.totalBytes} (${results.exactEqualsPandas ? 'equal to' : 'DIFFERENT from'} pandas ${pandas.total}); quick ${quick.totalBytes}, ${offPercent.toFixed(3)}% off (reported +-${quick.uncertaintyPercent}%); peak RSS of the exact analysis ${(exact.maxRssBytes / 2 ** 20).toFixed(0)} MiB`,
  ];
  return { results, summary };
}

function main(): void {
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(small)) {
    console.log('generating bench/.data/footprint-2m.parquet ...');
    const made = spawnSync(pythons.test, ['-c', GENERATE, small], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
  }
  if (!existsSync(big)) {
    console.log('generating bench/.data/footprint-27m.parquet ...');
    const made = spawnSync(pythons.test, ['-c', REPEAT, small, big], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(made.stderr);
  }
  bundleChild(dataDir);
  const a = measure(small, 3);
  const b = measure(big, 2);
  writeResult('parquet', { small: a.results, big: b.results, cpus: cpus().length, loadAverage: loadavg() }, [
    ...a.summary,
    ...b.summary,
    `on ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  ]);
}

main();
