// Extension activation time in a real VS Code (code-server 4.100.3): what VS Code itself reports in
// "Developer: Show Running Extensions" (loading the bundle + calling activate()), and what
// activate() logs about itself. Fresh profile per launch; median of the launches. Target: < 50 ms.
// Then the CPU time of loading dist/extension.js and running activate() against a stand-in vscode
// (bench/activationCpu.mjs, a fresh process each), which a loaded machine disturbs far less; with
// HEADROOM_BENCH_BASELINE_DIST=<another build's dist/> the two builds take turns and both are reported.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { headroomLog, openWorkbench, runCommand } from '../test/e2e/harness/workbench';
import { percentile, writeResult } from './lib';

const LAUNCHES = Number(process.env.HEADROOM_BENCH_LAUNCHES ?? 5);
const CPU_RUNS = Number(process.env.HEADROOM_BENCH_CPU_RUNS ?? 30);
const BASELINE_DIST = process.env.HEADROOM_BENCH_BASELINE_DIST;

interface CpuRun {
  cpuMs: number;
  loadMs: number;
  activateMs: number;
}

function cpuRun(dist: string): CpuRun {
  const result = spawnSync(process.execPath, [join(__dirname, 'activationCpu.mjs'), dist], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`activationCpu.mjs ${dist} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as CpuRun;
}

/** CPU_RUNS runs per build, the builds taking turns so drift in the machine's load hits both alike. */
function cpuRuns(dists: string[]): CpuRun[][] {
  const runs: CpuRun[][] = dists.map(() => []);
  for (let i = 0; i < CPU_RUNS; i++) dists.forEach((dist, d) => runs[d].push(cpuRun(dist)));
  return runs;
}

async function launch(): Promise<{
  vscodeMs: number | null;
  activateMs: number;
  sinceLoadMs: number;
  features: string;
}> {
  const bench = await openWorkbench();
  try {
    const { page, profile } = bench;
    await page
      .locator('.statusbar-item', { hasText: /CPU \d+%/ })
      .first()
      .waitFor({ timeout: 90_000 });
    // VS Code's own figure, from the Running Extensions editor.
    await runCommand(page, 'Developer: Show Running Extensions');
    const row = page.locator('.monaco-list-row', { hasText: 'Headroom' }).first();
    await row.waitFor({ timeout: 30_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    const match = /(\d+(?:\.\d+)?)\s*ms/.exec(text);
    // Headroom's own log line, written by activate().
    const log = headroomLog(profile.userDataDir);
    const own = /activated in ([\d.]+) ms \(([\d.]+) ms since the bundle was evaluated; ms per feature: ([^)]*)\)/.exec(
      log,
    );
    if (!own) throw new Error(`no activation line in the Headroom log:\n${log || '(no log file)'}`);
    return {
      vscodeMs: match ? Number(match[1]) : null,
      activateMs: Number(own[1]),
      sinceLoadMs: Number(own[2]),
      features: own[3],
    };
  } finally {
    await bench.dispose();
  }
}

async function main() {
  const runs = [];
  for (let i = 0; i < LAUNCHES; i++) runs.push(await launch());
  const vscode = runs.map((r) => r.vscodeMs).filter((v): v is number => v !== null);
  const median = (values: number[]) => percentile(values, 50);
  const dists = [join(__dirname, '..', 'dist'), ...(BASELINE_DIST ? [resolve(BASELINE_DIST)] : [])];
  const cpu = cpuRuns(dists);
  const cpuLine = (label: string, r: CpuRun[]) =>
    `${label}: median ${median(r.map((x) => x.cpuMs)).toFixed(1)} ms CPU (load ${median(r.map((x) => x.loadMs)).toFixed(1)}, activate() ${median(r.map((x) => x.activateMs)).toFixed(1)}) over ${r.length} processes`;
  writeResult('activation', { launches: runs, targetMs: 50, cpu: { dists, runs: cpu } }, [
    `activation, as VS Code reports it (Running Extensions): median ${vscode.length ? median(vscode) : 'n/a'} ms over ${vscode.length} launches [${vscode.join(', ')}] (target < 50 ms)`,
    `activate() itself: median ${median(runs.map((r) => r.activateMs)).toFixed(1)} ms; bundle evaluated to end of activate(): ${median(runs.map((r) => r.sinceLoadMs)).toFixed(1)} ms`,
    `activate() per feature, each launch: ${runs.map((r) => `[${r.features}]`).join(' ')}`,
    cpuLine('bundle load + activate() against a stand-in vscode, this build', cpu[0]),
    ...(cpu[1] ? [cpuLine(`the same, baseline ${dists[1]}`, cpu[1])] : []),
  ]);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
