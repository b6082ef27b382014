// Footprint exact mode on files unlike the 1 GB benchmark's: one per column kind, three shapes (quoted,
// long text, wide), issue 18's mixed 12M-row file and a trip-records file, each against pandas read_csv + memory_usage(deep=True) in the same run, interleaved
// (FOOTPRINT_BENCH_RUNS times, default 3), with wall and CPU time (min and median), GB/s per core,
// peak RSS and the totals; then the CLI's start-up (a 1 KB file end to end, with the Python probe's
// answer kept on disk as after a first call) beside a bare `node -e 0`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { eachPiece, ensureBenchFile, fileSize, KIND_FILES, MIXED_FILE, SHAPE_FILES, TRIPS_FILE } from './footprintData';
import { bundleChild, child, pandasRun } from './footprintEngine';
import { percentile, writeResult } from './lib';

const dataDir = join(__dirname, '.data');
const root = join(__dirname, '..');
const RUNS = Math.max(1, Number(process.env.FOOTPRINT_BENCH_RUNS ?? 3));
const median = (xs: number[]) => percentile(xs, 50);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

function measureFile(path: string) {
  // the whole file in the page cache for both sides (this machine keeps only a few GB there: the
  // files measured before may have pushed it out)
  eachPiece(path, 0, () => undefined);
  const engine: ReturnType<typeof child>[] = [];
  const pandas: ReturnType<typeof pandasRun>[] = [];
  for (let i = 0; i < RUNS; i++) {
    engine.push(child(path, 'exact'));
    pandas.push(pandasRun(path, 'read_csv'));
  }
  const wall = engine.map((e) => e.runs[0] / 1000);
  const cpu = engine.map((e) => e.cpuRuns[0] / 1000);
  const pWall = pandas.map((p) => p.seconds);
  const pCpu = pandas.map((p) => p.cpuSeconds);
  const bytes = fileSize(path);
  return {
    bytes,
    rows: engine[0].rows,
    engineWallS: { min: Math.min(...wall), median: median(wall) },
    engineCpuS: { min: Math.min(...cpu), median: median(cpu) },
    pandasWallS: { min: Math.min(...pWall), median: median(pWall) },
    pandasCpuS: { min: Math.min(...pCpu), median: median(pCpu) },
    wallRatio: { min: Math.min(...pWall) / Math.min(...wall), median: median(pWall) / median(wall) },
    cpuRatio: { min: Math.min(...pCpu) / Math.min(...cpu), median: median(pCpu) / median(cpu) },
    gbPerSecondPerCore: bytes / 1e9 / Math.min(...cpu),
    peakRssBytes: Math.max(...engine.map((e) => e.maxRssBytes)),
    totalsEqual:
      engine.every((e) => e.totalBytes === pandas[0].total) && pandas.every((p) => p.total === pandas[0].total),
    engineTotalBytes: engine[0].totalBytes,
    pandasTotalBytes: pandas[0].total,
    loadAverage: loadavg(),
  };
}

/** Wall and CPU seconds (user + sys, from /usr/bin/time when there is one) of a command, `n` times. */
function timeCommand(args: string[], n: number, env: NodeJS.ProcessEnv) {
  const time = existsSync('/usr/bin/time');
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const r = spawnSync(time ? '/usr/bin/time' : args[0], time ? ['-f', 'CPU %U %S', ...args] : args.slice(1), {
      encoding: 'utf8',
      env,
    });
    wall.push((performance.now() - started) / 1000);
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
    const m = /CPU ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (m) cpu.push(Number(m[1]) + Number(m[2]));
  }
  return {
    wallS: { min: Math.min(...wall), median: median(wall) },
    cpuS: cpu.length ? { min: Math.min(...cpu), median: median(cpu) } : null,
  };
}

function cliStartup() {
  const cli = join(root, 'dist', 'cli.js');
  if (!existsSync(cli)) return null;
  const tiny = join(dataDir, 'cli-1k.csv');
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${(i * 3.17).toFixed(2)},Paris,2024-01-${10 + (i % 18)}`);
  writeFileSync(tiny, ['id,amount,city,day', ...rows].join('\n') + '\n');
  const python = join(root, '.venv', 'bin', 'python');
  const env = { ...process.env, HEADROOM_CACHE_DIR: join(dataDir, 'cli-cache') };
  const args = [process.execPath, cli, 'footprint', tiny, '--python', python];
  const first = timeCommand(args, 1, env); // asks Python once, keeps the answer
  return { node: timeCommand([process.execPath, '-e', '0'], 5, env), first, kept: timeCommand(args, 7, env) };
}

function main(): void {
  mkdirSync(dataDir, { recursive: true });
  const files = [...KIND_FILES, ...SHAPE_FILES, MIXED_FILE, TRIPS_FILE].map((f) => ({
    f,
    path: ensureBenchFile(dataDir, f),
  }));
  bundleChild(dataDir);
  const results: Record<string, unknown> = {};
  const summary: string[] = [];
  const s = (x: number) => x.toFixed(2);
  for (const { f, path } of files) {
    const m = measureFile(path);
    results[f.name] = { kind: f.kind, ...m };
    summary.push(
      `${f.name} (${f.kind}; ${(m.bytes / 1e6).toFixed(0)} MB): engine ${s(m.engineWallS.min)} s wall / ${s(m.engineCpuS.min)} s CPU, pandas ${s(m.pandasWallS.min)} / ${s(m.pandasCpuS.min)} => ${m.wallRatio.min.toFixed(1)}x wall (median ${m.wallRatio.median.toFixed(1)}x), ${m.cpuRatio.min.toFixed(1)}x CPU (median ${m.cpuRatio.median.toFixed(1)}x); ${m.gbPerSecondPerCore.toFixed(3)} GB/s per core; RSS ${(m.peakRssBytes / 2 ** 20).toFixed(0)} MiB; totals ${m.totalsEqual ? 'equal' : `DIFFERENT (${m.engineTotalBytes} vs ${m.pandasTotalBytes})`}; load ${load()}`,
    );
    console.error(summary[summary.length - 1]); // as it goes: the whole run takes minutes
  }
  const cli = cliStartup();
  results.cliStartup = cli;
  if (cli) {
    const c = cli.kept;
    summary.push(
      `CLI start-up, a 1 KB file end to end: ${(c.wallS.min * 1000).toFixed(0)} ms min, ${(c.wallS.median * 1000).toFixed(0)} ms median wall${c.cpuS ? `, ${(c.cpuS.min * 1000).toFixed(0)} ms CPU` : ''} (the first call, which asks Python: ${(cli.first.wallS.min * 1000).toFixed(0)} ms; bare node -e 0: ${(cli.node.wallS.min * 1000).toFixed(0)} ms; target < 150 ms before the scan)`,
    );
  } else summary.push('CLI start-up: skipped (dist/cli.js not built)');
  summary.push(`${RUNS} runs each, interleaved; ${cpus().length} cores; load average ${load()} at the end`);
  writeResult('footprintKinds', results, summary);
}

main();
