// Memory-by-owner crawl cost: CPU time (user + system) per crawl of the process table, attribution
// included, at about 100 and 500 processes (sleeping processes, orphaned as most processes are, are
// added to reach the count; above 100 the machine's own count is used), with PSS for the owners'
// processes (the default), for none (RSS only) and for every listed owner. Four 256 MiB Python
// programs below this process (the "VS Code" anchor) are the owners measured by PSS. Also one
// smaps_rollup read against one stat read, per process. Target: under 10 ms CPU a crawl at 500.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { attribute } from '../src/core/monitor/owners';
import { linuxProc, ProcCrawler } from '../src/core/monitor/procTable';
import { percentile, writeResult } from './lib';

const CRAWLS = Number(process.env.HEADROOM_BENCH_CRAWLS ?? 40);
const INTERVAL_MS = 250;

const countProcesses = () => readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;

/**
 * Adds sleeping processes until /proc lists `target`. They are orphaned at once (their shell exits),
 * as most of a machine's processes are not the crawling process's descendants; pids go to `pids`.
 */
function fillTo(target: number, pids: number[]): void {
  const missing = target - countProcesses();
  if (missing <= 0) return;
  const out = execFileSync(
    'sh',
    ['-c', `for i in $(seq ${missing}); do sleep 600 </dev/null >/dev/null 2>&1 & echo $!; done`],
    {
      encoding: 'utf8',
    },
  );
  pids.push(...out.split('\n').filter(Boolean).map(Number));
}

async function measure(pss: 'owners' | 'none' | 'all') {
  const crawler = new ProcCrawler();
  attribute(crawler.crawl(), { pss, vscodeAnchors: [process.pid] }); // first crawl reads every command line once
  const perCrawl: number[] = [];
  let processes = 0;
  let pssReads = 0;
  let owners = 0;
  for (let i = 0; i < CRAWLS; i++) {
    const before = process.cpuUsage();
    const table = crawler.crawl();
    owners = attribute(table, { pss, vscodeAnchors: [process.pid] }).length;
    const used = process.cpuUsage(before);
    perCrawl.push((used.user + used.system) / 1000);
    processes = table.rows.size;
    pssReads += table.pssReads;
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  return {
    pss,
    processes,
    owners,
    pssReadsPerCrawl: pssReads / CRAWLS,
    cpuMsPerCrawlMean: perCrawl.reduce((a, b) => a + b, 0) / perCrawl.length,
    cpuMsPerCrawlMedian: percentile(perCrawl, 50),
    cpuMsPerCrawlP95: percentile(perCrawl, 95),
  };
}

/** Microseconds of CPU per process for one stat read and for one smaps_rollup read. */
function perProcessCost(pids = linuxProc.pids()) {
  const time = (read: (pid: number) => unknown) => {
    const before = process.cpuUsage();
    for (let r = 0; r < 5; r++) for (const pid of pids) read(pid);
    const used = process.cpuUsage(before);
    return (used.user + used.system) / (5 * pids.length);
  };
  return { processes: pids.length, statUs: time(linuxProc.stat), rollupUs: time(linuxProc.rollup) };
}

/** Python programs holding `mb` MiB each, children of this process (the "VS Code" anchor): owners measured by PSS. */
async function programs(count: number, mb: number): Promise<ChildProcess[]> {
  const python = join(__dirname, '..', '.venv', 'bin', 'python');
  const code = `import time\nb = b'x' * (${mb} << 20)\nprint('ready', flush=True)\ntime.sleep(600)`;
  const list = Array.from({ length: count }, () =>
    spawn(python, ['-c', code], { stdio: ['ignore', 'pipe', 'inherit'] }),
  );
  await Promise.all(list.map((c) => new Promise((r) => c.stdout!.once('data', r))));
  return list;
}

async function main() {
  const children: number[] = [];
  const holders = await programs(4, 256);
  try {
    const baseline = countProcesses();
    const at100 = await (async () => {
      fillTo(100, children);
      return { owners: await measure('owners'), none: await measure('none') };
    })();
    const cost100 = perProcessCost();
    fillTo(500, children);
    const at500 = { owners: await measure('owners'), none: await measure('none'), all: await measure('all') };
    const cost500 = perProcessCost();
    const costPrograms = perProcessCost(holders.map((h) => h.pid!));
    const line = (r: Awaited<ReturnType<typeof measure>>) =>
      `${r.processes} processes, ${r.owners} owners, PSS for ${r.pss} (${r.pssReadsPerCrawl.toFixed(1)} rollups/crawl): ${r.cpuMsPerCrawlMean.toFixed(2)} ms CPU/crawl mean, median ${r.cpuMsPerCrawlMedian.toFixed(2)}, p95 ${r.cpuMsPerCrawlP95.toFixed(2)}`;
    writeResult(
      'owners',
      {
        baselineProcesses: baseline,
        at100,
        at500,
        perProcess: { at100: cost100, at500: cost500, python256MiB: costPrograms },
        targetCpuMsAt500: 10,
      },
      [
        line(at100.owners),
        line(at100.none),
        line(at500.owners),
        line(at500.none),
        line(at500.all),
        `per 256 MiB Python process: stat ${costPrograms.statUs.toFixed(1)} us, smaps_rollup ${costPrograms.rollupUs.toFixed(1)} us`,
        `per process: stat ${cost500.statUs.toFixed(1)} us, smaps_rollup ${cost500.rollupUs.toFixed(1)} us (mean over ${cost500.processes} processes; a Node/Electron process costs milliseconds)`,
        `target: < 10 ms CPU per crawl at 500 processes`,
      ],
    );
  } finally {
    for (const h of holders) h.kill('SIGKILL');
    for (const pid of children) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
}

void main();
