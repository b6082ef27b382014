// The memory-aware joblib backend in a real VS Code (code-server + Chromium): the n_jobs warning's
// quick fix "Run memory-aware with Headroom" wraps the search's fit and adds the import (the warning
// then goes away: the backend admits tasks by memory), then offers to
// install the runtime into the interpreter (a fresh virtual environment without it); the install runs
// offline; the script, run from a VS Code terminal, records its search, which the Runs view and the run
// panel show task by task. Screenshots: test/e2e/artifacts/joblib-*.png.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { TrialRecord } from '../../src/core/tuning/runFiles';
import { pythons, requirePython } from '../support/python';
import { artifactsDir, CodeServer, createProfile, removeProfile, type Profile } from './harness/codeServer';
import { openFile, runPanelFrame } from './harness/workbench';

const base = requirePython(pythons.test);
let source: string;
let venvRoot: string;
let venv: string;
let profile: Profile;
let server: CodeServer;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `joblib-${name}.png`) });

/** 300,000 rows of numbers and a repeated string: n_jobs=512 cannot fit, so the n_jobs warning shows. */
function writeWorkspace(dir: string): void {
  mkdirSync(join(dir, 'data'));
  const lines = ['id,region,age,visits,score,spend,items,rating,flag'];
  let x = 11;
  for (let i = 0; i < 300_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    lines.push(
      `${i},${['north', 'south'][x % 2]},${18 + (x % 70)},${x % 300},${(x % 1000) / 10},${(x % 100000) / 100},${x % 12},${x % 5},${x % 2}`,
    );
  }
  writeFileSync(join(dir, 'data', 'sales.csv'), lines.join('\n') + '\n');
  writeFileSync(
    join(dir, 'train.py'),
    [
      'import pandas as pd',
      'from sklearn.linear_model import Ridge',
      'from sklearn.model_selection import GridSearchCV',
      '',
      'df = pd.read_csv("data/sales.csv")',
      'X = df.drop(columns=["region", "spend"])',
      'search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=5, n_jobs=512)',
      'search.fit(X, df["spend"])',
      'print("best", search.best_params_)',
      '',
    ].join('\n'),
  );
}

/** A virtual environment without headroom_runtime that sees the test environment's scikit-learn. */
function makeVenv(root: string): string {
  const dir = join(root, 'venv');
  const made = spawnSync(base, ['-m', 'venv', dir], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(made.status, 0, made.stderr);
  const site = spawnSync(base, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], {
    encoding: 'utf8',
  });
  const own = join(dir, 'lib', readdirSync(join(dir, 'lib'))[0], 'site-packages');
  writeFileSync(join(own, 'headroom-e2e-test-env.pth'), site.stdout.trim() + '\n');
  return join(dir, 'bin', 'python');
}

async function runCommand(title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title);
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 15_000 });
  await page.keyboard.press('Enter');
}

before(async () => {
  source = mkdtempSync(join(tmpdir(), 'headroom-e2e-joblib-'));
  writeWorkspace(source);
  venvRoot = mkdtempSync(join(tmpdir(), 'headroom-e2e-venv-'));
  venv = makeVenv(venvRoot);
  profile = createProfile({ workspace: source, settings: { 'headroom.python.path': venv } });
  server = await CodeServer.start(profile);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1500, height: 950 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspaceDir)}`);
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (profile) removeProfile(profile);
  rmSync(source, { recursive: true, force: true });
  rmSync(venvRoot, { recursive: true, force: true });
});

test('the quick fix wraps the fit in hr.parallel() and offers the install; the install works offline', async () => {
  await openFile(page, 'train.py');
  // The n_jobs warning, then its lightbulb.
  await page.keyboard.press('Control+Shift+M');
  const warning = page
    .locator('.markers-panel .monaco-list-row', { hasText: 'GridSearchCV with 512 workers may peak' })
    .first();
  await warning.waitFor({ timeout: 120_000 });
  await page.locator('.editor-instance .view-line', { hasText: 'n_jobs=512' }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: 'Run memory-aware with Headroom' }).first();
  await fix.waitFor({ timeout: 30_000 });
  await shot('quick-fix');
  // The menu's pointer block covers its rows from the mouse: walk to the row with the keyboard.
  for (let i = 0; i < 6 && !/\bfocused\b/.test((await fix.getAttribute('class')) ?? ''); i++)
    await page.keyboard.press('ArrowDown');
  assert.match((await fix.getAttribute('class')) ?? '', /\bfocused\b/);
  await page.keyboard.press('Enter');
  // The search now runs on the memory-aware backend: its n_jobs warning goes away.
  await warning.waitFor({ state: 'detached', timeout: 30_000 });
  // The interpreter lacks the runtime: the fix offers to install it.
  const offer = page.locator('.notification-toast', { hasText: 'headroom_runtime is not installed in' });
  await offer.waitFor({ timeout: 60_000 });
  await shot('install-offer');
  await offer.locator('.monaco-button', { hasText: 'Install' }).click();
  const done = page.locator('.notification-toast', { hasText: 'Installed headroom_runtime' });
  await done.waitFor({ timeout: 240_000 });
  await shot('installed');
  await page.keyboard.press('Control+S');
  await page.waitForTimeout(1000);
  const text = readFileSync(join(profile.workspaceDir, 'train.py'), 'utf8');
  assert.match(text, /^from sklearn\.model_selection import GridSearchCV\nimport headroom_runtime as hr\n/m);
  assert.match(text, /\nwith hr\.parallel\(\):\n {4}search\.fit\(X, df\["spend"\]\)\n/);
  const check = spawnSync(
    venv,
    ['-c', 'import headroom_runtime, importlib.metadata as m; print(m.version("headroom-runtime"))'],
    {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: '' },
    },
  );
  assert.match(check.stdout.trim(), /^\d+\.\d+\.\d+$/, check.stderr);
});

test('run from a VS Code terminal, the search shows in the Runs view and the run panel, task by task', async () => {
  await runCommand('Terminal: Create New Terminal');
  await page.locator('.terminal-wrapper.active .xterm').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(2000);
  await page.keyboard.type(`${venv} train.py\n`);
  // The run lands in this workspace (HEADROOM_WORKSPACE in the terminal), one record per (candidate, fold).
  const runsDir = join(profile.workspaceDir, '.headroom', 'runs');
  const deadline = Date.now() + 300_000;
  let records: TrialRecord[] = [];
  while (Date.now() < deadline) {
    const [run] = existsSync(runsDir) ? readdirSync(runsDir) : [];
    const meta = run ? join(runsDir, run, 'run.json') : '';
    if (meta && existsSync(meta) && (JSON.parse(readFileSync(meta, 'utf8')) as { status: string }).status === 'done') {
      records = readFileSync(join(runsDir, run, 'trials.jsonl'), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as TrialRecord);
      break;
    }
    await page.waitForTimeout(1000);
  }
  assert.equal(records.length, 10, '2 candidates x 5 folds');
  await shot('terminal');
  await page.locator('.activitybar .action-label[aria-label^="Headroom"]').first().click();
  const row = page.locator('.monaco-list-row[aria-label^="Run train.py · Ridge,"]');
  await row.waitFor({ timeout: 60_000 });
  assert.match((await row.getAttribute('aria-label')) ?? '', /10\/10/);
  await shot('runs-view');
  await row.click();
  const frame = await runPanelFrame(page, 'train.py · Ridge', profile.userDataDir);
  await frame.waitForSelector('.grid-row.status-done', { timeout: 60_000 });
  assert.equal(await frame.$$eval('.grid-row.status-done', (rows) => rows.length), 10);
  assert.match((await frame.textContent('.count')) ?? '', /^10 of 10 trials$/);
  // Only the actions a joblib search has: no resume, no logs, no stop from here; its script, not a spec.
  for (const id of ['#resume', '#open-log', '#stop']) assert.equal(await frame.isVisible(id), false, id);
  assert.equal((await frame.textContent('#open-spec'))?.trim(), 'Open script');
  assert.equal(await frame.isVisible('#source-note'), true);
  // The best is the search's best_params_ (the script printed alpha 1.0): the best candidate's mean over its folds.
  assert.match((await frame.textContent('#best')) ?? '', /— c001: alpha=1(\.0)?$/);
  assert.equal(
    await frame.$$eval(
      '.grid-row .row-actions button:not([hidden])',
      (b) => b.filter((x) => (x as unknown as { style: { visibility: string } }).style.visibility !== 'hidden').length,
    ),
    0,
  );
  await shot('run-panel');
});
