// Extension activation time in a real VS Code (code-server 4.100.3): what VS Code itself reports in
// "Developer: Show Running Extensions" (loading the bundle + calling activate()), and what
// activate() logs about itself. Fresh profile per launch; median of the launches. Target: < 50 ms.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CodeServer, createProfile, removeProfile } from '../test/e2e/harness/codeServer';
import { percentile, writeResult } from './lib';

const LAUNCHES = Number(process.env.HEADROOM_BENCH_LAUNCHES ?? 3);

function findFiles(dir: string, name: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? findFiles(path, name) : entry === name ? [path] : [];
  });
}

async function launch(): Promise<{ vscodeMs: number | null; activateMs: number; sinceLoadMs: number }> {
  const profile = createProfile();
  const server = await CodeServer.start(profile);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspaceDir)}`);
    await page
      .locator('.statusbar-item', { hasText: /CPU \d+%/ })
      .first()
      .waitFor({ timeout: 90_000 });
    // VS Code's own figure, from the Running Extensions editor.
    await page.keyboard.press('F1');
    await page.keyboard.type('Developer: Show Running Extensions');
    await page.waitForTimeout(500);
    await page.keyboard.press('Enter');
    const row = page.locator('.monaco-list-row', { hasText: 'Headroom' }).first();
    await row.waitFor({ timeout: 30_000 });
    const text = (await row.innerText()).replace(/\s+/g, ' ');
    const match = /(\d+(?:\.\d+)?)\s*ms/.exec(text);
    // Headroom's own log line, written by activate().
    const logs = findFiles(join(profile.userDataDir, 'logs'), 'Headroom.log');
    const log = logs.map((f) => readFileSync(f, 'utf8')).join('\n');
    const own = /activated in ([\d.]+) ms \(([\d.]+) ms since the bundle was evaluated\)/.exec(log);
    if (!own) throw new Error(`no activation line in the Headroom log (${logs.join(', ') || 'no log file'})`);
    return { vscodeMs: match ? Number(match[1]) : null, activateMs: Number(own[1]), sinceLoadMs: Number(own[2]) };
  } finally {
    await browser.close();
    await server.stop();
    removeProfile(profile);
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
  ]);
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
