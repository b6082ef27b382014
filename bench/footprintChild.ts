// Child process of bench/footprint.bench.ts: runs one footprint analysis and prints its result with
// the process's peak RSS (the scan's worker threads live in this process, so they count too).
import { analyzeFile, closeFootprintPool } from '../src/core/footprint';

async function main(): Promise<void> {
  const [path, mode, repeat = '1', workers] = process.argv.slice(2);
  const model = { pandas: '3.0', python: '3.11', pyarrow: true };
  const runs: number[] = [];
  const cpuRuns: number[] = [];
  let result;
  for (let i = 0; i < Number(repeat); i++) {
    const started = performance.now();
    const cpu = process.cpuUsage();
    result = await analyzeFile(path, {
      model,
      mode: mode as 'exact' | 'quick',
      workers: workers === undefined ? undefined : Number(workers),
    });
    runs.push(performance.now() - started);
    // all threads of the process: the main thread and the scan's worker threads
    const used = process.cpuUsage(cpu);
    cpuRuns.push((used.user + used.system) / 1000);
  }
  await closeFootprintPool();
  const { columns: _columns, ...summary } = result!;
  console.log(JSON.stringify({ ...summary, runs, cpuRuns, maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
}

void main();
