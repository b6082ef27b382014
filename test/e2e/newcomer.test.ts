// The newcomer's path in a real VS Code (code-server + Chromium), as issue 19 describes it: a fresh
// folder with a CSV and a plain scikit-learn script (no Headroom code) that reads the CSV through
// `Path(__file__)` and tunes with its own GridSearchCV. The hint sizes the CSV; "New Tuning Spec"
// writes a spec (and an objective module) from the script's search; the spec editor explains and
// completes fields without the YAML extension; the run finds the params the script's own
// GridSearchCV finds. Screenshots: test/e2e/artifacts/newcomer-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { formatBytes } from '../../src/core/format';
import type { TrialRecord } from '../../src/core/tuning/runFiles';
import { churnCsv, CHURN_SCRIPT, ownSearchResult } from '../support/churnData';
import { pandasFrameBytes, pythons, requirePython } from '../support/python';
import { artifactsDir, CodeServer, createProfile, removeProfile, type Profile } from './harness/codeServer';
import { openFile } from './harness/workbench';

const python = requirePython(pythons.test);
let source: string;
let profile: Profile;
let server: CodeServer;
let browser: Browser;
let page: Page;

async function shot(name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `newcomer-${name}.png`) });
}

async function runCommand(title: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(title);
  await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 15_000 });
  await page.keyboard.press('Enter');
}

async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      await shot(`timeout-${what.replace(/\W+/g, '-')}`);
      throw new Error(`timed out after ${ms} ms waiting for ${what}; the editor shows:\n${await editorText()}`);
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const editorText = async () =>
  (await page.locator('.monaco-workbench .view-line').allTextContents()).join('\n').replace(/\u00a0/g, ' ');

/** Cursor on the line holding `text`, `column` characters in (keyboard, as a person would). */
async function cursorAt(text: string, column: number): Promise<void> {
  // At the line's start: further right, a click may land on an inlay hint (and run its command).
  await page
    .locator('.editor-instance .view-line', { hasText: text })
    .first()
    .click({ position: { x: 2, y: 5 } });
  await page.keyboard.press('Home');
  await page.keyboard.press('Home');
  for (let i = 0; i < column; i++) await page.keyboard.press('ArrowRight');
}

before(async () => {
  source = mkdtempSync(join(tmpdir(), 'newcomer-e2e-src-'));
  mkdirSync(join(source, 'data'));
  writeFileSync(join(source, 'data', 'churn.csv'), churnCsv(400));
  writeFileSync(join(source, 'train.py'), CHURN_SCRIPT);
  profile = createProfile({
    workspace: source,
    settings: {
      'headroom.python.path': python,
      'editor.inlayHints.enabled': 'on',
      'workbench.editor.enablePreview': false,
    },
  });
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
  if (source) rmSync(source, { recursive: true, force: true });
});

test('the hint sizes the CSV the script reads through Path(__file__)', async () => {
  const bytes = pandasFrameBytes(
    python,
    'import pandas as pd\ndf = pd.read_csv("data/churn.csv")',
    profile.workspaceDir,
  );
  await openFile(page, 'train.py');
  const size = formatBytes(bytes).replace('.', '\\.');
  await until(
    'the size hint',
    async () => new RegExp(`~ ${size}( in pandas [\\d.]+)? \\| [\\d.]+ KiB with dtypes`).test(await editorText()),
    90_000,
  );
  await shot('hint');
  await cursorAt('df = pd.read_csv(DATA)', 12);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover', { hasText: 'memory_usage(deep=True)' });
  await hover.first().waitFor({ timeout: 15_000 });
  const text = (await hover.first().innerText()).replace(/\u00a0/g, ' ');
  assert.match(text, /400 rows × 6 columns/);
  assert.match(text, new RegExp(`${bytes.toLocaleString('en-US')} bytes`));
  assert.ok(text.includes(join(profile.workspaceDir, 'data', 'churn.csv')), text);
  await shot('hint-hover');
  await page.keyboard.press('Escape');
});

test('New Tuning Spec reads the GridSearchCV and writes a spec and an objective module', async () => {
  await runCommand('Headroom: New Tuning Spec');
  await page.waitForSelector('.tab.active[aria-label*="train.tune.yaml"]', { timeout: 20_000 });
  const spec = readFileSync(join(profile.workspaceDir, 'train.tune.yaml'), 'utf8');
  assert.match(spec, /^objective: train_objective:objective$/m);
  assert.match(spec, /^search: grid$/m);
  assert.match(spec, /^metric: accuracy /m);
  assert.match(spec, /^data: data\/churn\.csv$/m);
  assert.match(spec, /^ {2}n_estimators: \[10, 40\]$/m);
  assert.match(spec, /^ {2}max_depth: \[null, 2, 4\]$/m);
  assert.match(spec, /^ {2}max_features: \[0\.5, 1\.0\]$/m);
  assert.ok(existsSync(join(profile.workspaceDir, 'train_objective.py')));
  await page.locator('.notification-toast', { hasText: 'train_objective.py' }).waitFor({ timeout: 15_000 });
  await shot('new-spec');
});

test('the spec editor explains fields on hover and completes them, without the YAML extension', async () => {
  await cursorAt('search: grid', 2);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover', { hasText: 'every combination' });
  await hover.first().waitFor({ timeout: 15_000 });
  assert.match(await hover.first().innerText(), /Takes: grid, random, halving/);
  await shot('spec-hover');
  await page.keyboard.press('Escape');

  // A new top-level field, typed at the end: completion offers the schema's fields with their help.
  await page.keyboard.press('Control+End');
  await page.keyboard.type('cac');
  await page.keyboard.press('Control+Space');
  const row = page.locator('.suggest-widget .monaco-list-row', { hasText: 'cache' });
  await row.first().waitFor({ timeout: 15_000 });
  await shot('spec-completion');
  await page.keyboard.press('Enter');
  // The snippet offers the field's values; Enter takes the first, `true`.
  await page.locator('.suggest-widget .monaco-list-row', { hasText: 'false' }).first().waitFor({ timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+S');
  await until(
    'cache: true to be saved',
    () => /^cache: true$/m.test(readFileSync(join(profile.workspaceDir, 'train.tune.yaml'), 'utf8')),
    15_000,
  );
});

test("the run finds the params the script's own GridSearchCV finds", async () => {
  const own = ownSearchResult(
    execFileSync(python, [join(profile.workspaceDir, 'train.py')], { cwd: tmpdir(), encoding: 'utf8' }),
  );
  assert.equal(own.all.filter((s) => s === own.score).length, 1, 'one best candidate');
  await runCommand('Headroom: Start Tuning Run');
  const frame = await until<Frame>(
    'the run panel',
    async () => {
      for (const f of page.frames()) {
        const title = await f.$eval('body[data-ready] h1', (h) => h.textContent).catch(() => null);
        if (title === 'train') return f;
      }
      return undefined;
    },
    60_000,
  );
  await until(
    'the run to finish',
    async () => (await frame.textContent('#run-status'))?.startsWith('finished'),
    300_000,
  );
  const runs = join(profile.workspaceDir, '.headroom', 'runs');
  const [runDir] = readdirSync(runs).map((id) => join(runs, id));
  const records = readFileSync(join(runDir, 'trials.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TrialRecord);
  const done = records.filter((r) => r.status === 'done');
  assert.equal(done.length, 12, JSON.stringify(records.map((r) => [r.status, r.error])));
  const best = done.reduce((b, r) => (r.value! > b.value! || (r.value === b.value && r.trialId < b.trialId) ? r : b));
  assert.deepEqual(best.params, own.best);
  assert.equal(best.value, own.score);
  assert.match((await frame.textContent('#best')) ?? '', new RegExp(`best accuracy .* — ${best.trialId}:`));
  const highlighted = await frame.$$eval('.grid-row.best', (rows) => rows.map((r) => r.getAttribute('data-trial')));
  assert.deepEqual(highlighted, [best.trialId]);
  await shot('run-finished');
});

test('a read whose path is only known at run time: the user picks the file once, and it is remembered', async () => {
  writeFileSync(
    join(profile.workspaceDir, 'load.py'),
    'import sys\n\nimport pandas as pd\n\ndf = pd.read_csv(sys.argv[1])\n',
  );
  await openFile(page, 'load.py');
  await until(
    'the "size unknown" hint',
    async () => /size unknown \(hover: why\) · pick file…/.test(await editorText()),
    60_000,
  );
  await shot('pick-unknown');
  // The lightbulb offers to pick the file (keyboard: Ctrl+. on the call).
  await cursorAt('df = pd.read_csv(sys.argv[1])', 10);
  await page.keyboard.press('Control+.');
  await page
    .locator('.action-widget .monaco-list-row', { hasText: 'Pick the data file this read opens' })
    .first()
    .waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  // code-server's open dialog is a path box: type the file's path, Enter.
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // It opens on the workspace folder (the path box ends with "/"): type the rest.
  await until(
    'the dialog to open on the workspace',
    async () => (await input.inputValue()).endsWith('/workspace/'),
    15_000,
  );
  await page.keyboard.press('End');
  await page.keyboard.type('data/churn.csv');
  await until('the typed path', async () => (await input.inputValue()).endsWith('/workspace/data/churn.csv'), 15_000);
  await shot('pick-dialog');
  // code-server's path box catches up with typing asynchronously: an accept that comes first resolves
  // the folder and says "Please select a file." (seen in CI, the dialog left open). A person clicks again.
  for (let attempt = 1; ; attempt++) {
    await page.locator('.quick-input-widget .monaco-button', { hasText: 'Size this file' }).click();
    const closed = await page
      .locator('.quick-input-widget')
      .waitFor({ state: 'hidden', timeout: 10_000 })
      .then(
        () => true,
        () => false,
      );
    if (closed) break;
    const said = await page.locator('.quick-input-widget .quick-input-message').textContent();
    if (attempt === 3) throw new Error(`the open dialog kept ${await input.inputValue()} three times: ${said}`);
    console.log(`open dialog, try ${attempt}: ${said}; clicking again`);
  }
  await until('the picked file to be sized', async () => /~ 18\.9 KiB/.test(await editorText()), 60_000);
  await shot('pick-sized');
  // Remembered for this call (workspace state): still sized after a window reload.
  // Wait for the new page: until it navigates, the old workbench still matches every selector below.
  const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60_000 });
  await runCommand('Developer: Reload Window');
  await reloaded;
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
  await page
    .waitForSelector('.tab.active[aria-label*="load.py"]', { timeout: 60_000 })
    .catch(() => openFile(page, 'load.py'));
  await until(
    'the picked file to be sized after the reload',
    async () => /~ 18\.9 KiB/.test(await editorText()),
    90_000,
  );
  await cursorAt('df = pd.read_csv(sys.argv[1])', 10);
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  await page
    .locator('.monaco-hover', { hasText: 'You picked this file for this call' })
    .first()
    .waitFor({ timeout: 15_000 });
  await shot('pick-remembered');
  await page.keyboard.press('Escape');
});

test("Python's None in a spec is flagged, and the quick fix writes null", async () => {
  writeFileSync(
    join(profile.workspaceDir, 'none.tune.yaml'),
    'objective: train_objective:objective\nmetric: accuracy\nparams:\n  max_depth: [None, 2]\n',
  );
  await openFile(page, 'none.tune.yaml');
  await page.keyboard.press('Control+Shift+M');
  await page
    .locator('.markers-panel .monaco-list-row', { hasText: "`None` here is the string 'None'" })
    .first()
    .waitFor({ timeout: 30_000 });
  await cursorAt('max_depth: [None, 2]', 15);
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget .monaco-list-row', { hasText: 'Write null' }).first().waitFor({ timeout: 20_000 });
  await shot('none-fix');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+S');
  await until(
    'null to be saved',
    () => readFileSync(join(profile.workspaceDir, 'none.tune.yaml'), 'utf8').includes('max_depth: [null, 2]'),
    15_000,
  );
});
