// The footprint engine as the benchmarks run it: bundled into bench/.data/engine and run in a fresh
// child process (bench/footprintChild.ts) per measurement.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { pythons } from '../test/support/python';

/**
 * The engine runs bundled, as the CLI and the extension run it (no tsx loader thread in the RSS),
 * laid out like dist/ (piscina's worker.js and workers/footprint.js next to the entry) but in
 * bench/.data/engine, so that a concurrent `npm run build` cannot pull it away mid-run.
 */
let childBundle = '';

export function bundleChild(dataDir: string): void {
  const engineDir = join(dataDir, 'engine');
  childBundle = join(engineDir, 'footprint-child.js');
  const common = {
    bundle: true,
    platform: 'node' as const,
    target: 'node20',
    format: 'cjs' as const,
    logLevel: 'warning' as const,
    // optional native helper piscina loads inside try/catch, as in scripts/build.mjs
    external: ['@napi-rs/nice'],
  };
  const root = join(__dirname, '..');
  buildSync({ ...common, entryPoints: [join(__dirname, 'footprintChild.ts')], outfile: childBundle });
  buildSync({
    ...common,
    entryPoints: [join(root, 'node_modules/piscina/dist/worker.js')],
    outfile: join(engineDir, 'worker.js'),
  });
  buildSync({
    ...common,
    entryPoints: [join(root, 'src/workers/footprint.ts')],
    outfile: join(engineDir, 'workers', 'footprint.js'),
  });
}

/**
 * One analysis in a fresh process (bundleChild first): its result, wall and CPU times, and peak RSS.
 * @param workers the scan's worker threads (the engine's default when left out)
 */
export function child(path: string, mode: string, repeat = 1, workers?: number) {
  const args = [childBundle, path, mode, String(repeat), ...(workers === undefined ? [] : [String(workers)])];
  const out = execFileSync(process.execPath, args, {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as {
    totalBytes: number;
    rows: number;
    runs: number[];
    cpuRuns: number[];
    maxRssBytes: number;
    uncertaintyPercent: number;
  };
}

/** The peer: pandas reading `path` with defaults, then memory_usage(deep=True), in a fresh Python. */
export function pandasRun(
  path: string,
  reader: 'read_csv' | 'read_parquet',
): { seconds: number; cpuSeconds: number; total: number } {
  const script = `
import time, json, warnings
warnings.simplefilter('ignore')
import pandas as pd
t = time.perf_counter()
c = time.process_time()
df = pd.${reader}(${JSON.stringify(path)})
total = int(df.memory_usage(deep=True).sum())
print(json.dumps({'seconds': time.perf_counter() - t, 'cpuSeconds': time.process_time() - c, 'total': total}))`;
  const r = spawnSync(pythons.test, ['-c', script], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim());
}
