// Extension activation time in a real VS Code (code-server 4.100.3): what VS Code itself reports in
// "Developer: Show Running Extensions" (loading the bundle + calling activate()), and what
// activate() logs about itself. Fresh profile per launch; median of the launches. Target: < 50 ms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, runCommand } from '../test/e2e/harness/workbench';
import { percentile, writeResult } from './lib';

const LAUNCHES = Number(process.env.HEADROOM_BENCH_LAUNCHES ?? 5);

function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? findFiles(path, name) : entry === name ? [path] : [];
  });
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
    const logs = findFiles(join(profile.userDataDir, 'logs'), 'Headroom.log');
    const log = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
    const own = /activated in ([\d.]+) ms \(([\d.]+) ms since the bundle was evaluated; ms per feature: ([^)]*)\)/.exec(
      log,
    );
    if (!own) throw new Error(`no activation line in the Headroom log (${logs.join(', ') || 'no log file'})`);
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
  writeResult('activation', { launches: runs, targetMs: 50 }, [
    `activation, as VS Code reports it (Running Extensions): median ${vscode.length ? median(vscode) : 'n/a'} ms over ${vscode.length} launches [${vscode.join(', ')}] (target < 50 ms)`,
    `activate() itself: median ${median(runs.map((r) => r.activateMs)).toFixed(1)} ms; bundle evaluated to end of activate(): ${median(runs.map((r) => r.sinceLoadMs)).toFixed(1)} ms`,
    `activate() per feature, each launch: ${runs.map((r) => `[${r.features}]`).join(' ')}`,
  ]);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
