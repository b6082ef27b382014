// Inline hints in a real VS Code (code-server + Chromium): a Python file and a notebook that read a
// workspace CSV show pandas' own size inline; the lightbulb's dtype fix edits the call; an n_jobs
// that cannot fit puts a warning in the Problems panel. Screenshots: test/e2e/artifacts/hints-*.png.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { formatBytes } from '../../src/core/format';
import { pandasFrameBytes, pythons, requirePython } from '../support/python';
import { artifactsDir, CodeServer, createProfile, removeProfile, type Profile } from './harness/codeServer';
import { openFile } from './harness/workbench';

const python = requirePython(pythons.test);
let source: string;
let profile: Profile;
let server: CodeServer;
let browser: Browser;
let page: Page;

/** 300,000 rows: 8 numeric columns and a repeated string, so dtypes save a lot and n_jobs=512 cannot fit. */
function writeWorkspace(dir: string): void {
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'notebooks'));
  const regions = ['north', 'south', 'east', 'west'];
  const lines = ['id,region,age,visits,score,spend,items,rating,flag'];
  let x = 11;
  for (let i = 0; i < 300_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    lines.push(
      `${i},${regions[x % 4]},${18 + (x % 70)},${x % 300},${(x % 1000) / 10},${(x % 100000) / 100},${x % 12},${x % 5},${x % 2}`,
    );
  }
  writeFileSync(join(dir, 'data', 'sales.csv'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'data', 'small.csv'), lines.slice(0, 2001).join('\n') + '\n');
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
      '',
    ].join('\n'),
  );
  const cell = (text: string) => ({
    cell_type: 'code',
    execution_count: null,
    id: `c${text.length}`,
    metadata: {},
    outputs: [],
    source: [text],
  });
  const notebook = {
    cells: [cell('import pandas as pd'), cell("small = pd.read_csv('../data/small.csv')")],
    metadata: {
      language_info: { name: 'python' },
      kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  writeFileSync(join(dir, 'notebooks', 'explore.ipynb'), JSON.stringify(notebook, null, 1));
}

const pandasBytes = (code: string, cwd: string): number => pandasFrameBytes(python, code, cwd);

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(artifactsDir, `hints-${name}.png`) });
}

/** The visible text of the active editor(s), inlay hints included (they are rendered as injected text). */
async function waitForEditorText(pattern: RegExp, timeout = 90_000): Promise<string> {
  const deadline = Date.now() + timeout;
  let text = '';
  while (Date.now() < deadline) {
    // Every rendered editor line, notebook cells included (Playwright's locators reach them wherever they are).
    text = (await page.locator('.monaco-workbench .view-line').allTextContents()).join('\n').replace(/\u00a0/g, ' ');
    if (pattern.test(text)) return text;
    await page.waitForTimeout(500);
  }
  await shot('timeout');
  throw new Error(`editor text never matched ${pattern}; last:\n${text}`);
}

before(async () => {
  source = mkdtempSync(join(tmpdir(), 'hints-e2e-src-'));
  writeWorkspace(source);
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
  page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspaceDir)}`);
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (profile) removeProfile(profile);
  if (source) rmSync(source, { recursive: true, force: true });
});

test('a Python file shows the exact size pandas reports, inline, and the hover tells the rest', async () => {
  const bytes = pandasBytes('import pandas as pd\ndf = pd.read_csv("data/sales.csv")', profile.workspaceDir);
  await openFile(page, 'train.py');
  // The full label is longer than VS Code's 43-character inlay hint limit: the pandas version moves to the hover.
  const size = formatBytes(bytes).replace('.', '\\.');
  await waitForEditorText(new RegExp(`~ ${size} \\| [\\d.]+ (KiB|MiB) with dtypes`));
  await shot('python-inlay');
  // Keyboard, as a person without a mouse would: cursor into read_csv, then "Show Hover" (Ctrl+K Ctrl+I).
  await page.locator('.editor-instance .view-line', { hasText: 'pd.read_csv("data/sales.csv")' }).first().click();
  await page.keyboard.press('Home');
  for (let i = 0; i < 10; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover', { hasText: 'memory_usage(deep=True)' });
  await hover.first().waitFor({ timeout: 15_000 });
  await shot('python-hover');
  const text = (await hover.first().innerText()).replace(/\u00a0/g, ' ');
  assert.match(text, /300,000 rows × 9 columns/);
  assert.match(text, new RegExp(`${bytes.toLocaleString('en-US')} bytes`));
  assert.match(text, /Model: pandas 3\.0, Python 3\.\d+, with pyarrow/);
  assert.match(text, /data\/sales\.csv/);
  await page.keyboard.press('Escape');
});

test('the n_jobs warning is in the Problems panel', async () => {
  await page.keyboard.press('Control+Shift+M');
  const problem = page.locator('.markers-panel .monaco-list-row', {
    hasText: 'GridSearchCV with 512 workers may peak',
  });
  await problem.first().waitFor({ timeout: 60_000 });
  await shot('problems');
  const message = (await problem.first().textContent()) ?? '';
  assert.match(message, /more than the [\d.]+ (MiB|GiB) available; n_jobs=\d+ fits/);
  // Available memory moves with every sample, so the number offered may differ by a little from the message's.
  // The lightbulb on n_jobs offers the number that fits, and downcasting first.
  await page.locator('.editor-instance .view-line', { hasText: 'n_jobs=512' }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+.');
  const menu = page.locator('.action-widget');
  await menu
    .locator('.monaco-list-row', { hasText: /Set n_jobs=\d+ \(fits in memory\)/ })
    .first()
    .waitFor({ timeout: 30_000 });
  await menu
    .locator('.monaco-list-row', { hasText: /Downcast first: Add dtype= to read_csv/ })
    .first()
    .waitFor();
  await shot('njobs-fixes');
  await page.keyboard.press('Escape');
  // The hover on the search explains the forecast, formula included.
  await page.keyboard.press('Home');
  for (let i = 0; i < 12; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover', { hasText: 'memory forecast' });
  await hover.first().waitFor({ timeout: 15_000 });
  await shot('njobs-hover');
  assert.match(await hover.first().innerText(), /peak = parent frame \+ shared memory map \+ workers × \(pickled copy/);
  await page.keyboard.press('Escape');
});

test('the dtype quick fix edits the call and the hint follows', async () => {
  await page.locator('.editor-instance .view-line', { hasText: 'pd.read_csv("data/sales.csv")' }).first().click();
  await page.keyboard.press('Control+.');
  const fix = page.locator('.action-widget .monaco-list-row', { hasText: /Add dtype=/ });
  await fix.first().waitFor({ timeout: 30_000 });
  await shot('quickfix-menu');
  const title = (await fix.first().textContent()) ?? '';
  assert.match(title, /saves [\d.]+ (KiB|MiB)/);
  // The menu's first row is focused; a pointer block covers the editor while it is open.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+S');
  const path = join(profile.workspaceDir, 'train.py');
  const deadline = Date.now() + 15_000;
  while (!readFileSync(path, 'utf8').includes('dtype=') && Date.now() < deadline) await page.waitForTimeout(250);
  const edited = readFileSync(path, 'utf8');
  // The call grew past 88 columns, so the fix laid it out one argument per line, as black would.
  const line = edited.slice(edited.indexOf('df = pd.read_csv('), edited.indexOf('X = df.drop'));
  assert.match(
    line,
    /^df = pd\.read_csv\(\n {4}"data\/sales\.csv",\n {4}dtype=\{\s*"id": "int32",\s*"region": "category",.*\},\n\)\n$/s,
  );
  assert.equal((edited.match(/dtype=/g) ?? []).length, 1);
  // The edited call, run in pandas, is what the hint now shows in front of "in pandas".
  const after = pandasBytes(`import pandas as pd\n${line}`, profile.workspaceDir);
  await waitForEditorText(new RegExp(`~ ${formatBytes(after).replace('.', '\\.')}( in pandas 3\\.0)?`));
  await shot('python-after-fix');
});

test('a notebook cell resolves the path from the notebook folder and shows the size', async () => {
  const bytes = pandasBytes(
    "import pandas as pd\ndf = pd.read_csv('../data/small.csv')",
    join(profile.workspaceDir, 'notebooks'),
  );
  await openFile(page, 'explore.ipynb');
  await waitForEditorText(new RegExp(`~ ${formatBytes(bytes).replace('.', '\\.')}( in pandas 3\\.0)? \\|`));
  await shot('notebook-inlay');
  // The data file changes on disk: the hint follows without touching the notebook.
  const csv = join(profile.workspaceDir, 'data', 'small.csv');
  const rows = readFileSync(csv, 'utf8').trimEnd().split('\n');
  writeFileSync(csv, [...rows, ...rows.slice(1)].join('\n') + '\n');
  const doubled = pandasBytes(
    "import pandas as pd\ndf = pd.read_csv('../data/small.csv')",
    join(profile.workspaceDir, 'notebooks'),
  );
  assert.notEqual(doubled, bytes);
  await waitForEditorText(new RegExp(`~ ${formatBytes(doubled).replace('.', '\\.')}( in pandas 3\\.0)? \\|`));
  await shot('notebook-after-file-change');
});

/** Brings an open file's tab to the front (Quick Open does not take the keyboard from the Settings search). */
async function showFile(name: string): Promise<void> {
  const tab = page.locator(`.tab[aria-label*="${name}"]`);
  if ((await tab.count()) > 0) await tab.first().click();
  else await openFile(page, name);
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 15_000 });
}

/** Changes a setting the way a person does: Settings editor, search, then the control. */
async function openSetting(id: string): Promise<void> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type('Preferences: Open User Settings');
  await page.waitForSelector(
    '.quick-input-list .monaco-list-row[aria-label^="Preferences: Open User Settings,"], .quick-input-list .monaco-list-row[aria-label="Preferences: Open User Settings"]',
    { timeout: 15_000 },
  );
  await page.keyboard.press('Enter');
  await page.waitForSelector('.settings-editor .suggest-input-container .monaco-editor', { timeout: 30_000 });
  await page.click('.settings-editor .suggest-input-container .monaco-editor');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(id);
  await page
    .waitForSelector(
      `.settings-editor .setting-item-contents[data-key="${id}"], .settings-editor .setting-item[data-key="${id}"]`,
      { timeout: 15_000 },
    )
    .catch(() => undefined);
  await page.waitForTimeout(1_000);
}

test('settings switch the hint to a CodeLens, and turn the hints off', async () => {
  await openSetting('headroom.hints.style');
  await page.locator('.settings-editor select').first().selectOption('codelens');
  await shot('setting-style');
  await showFile('train.py');
  const lens = page.locator('.editor-instance .codelens-decoration', { hasText: /~ [\d.]+ (KiB|MiB) in pandas 3\.0/ });
  await lens.first().waitFor({ timeout: 30_000 });
  await shot('codelens');
  const inlay = await page.locator('.monaco-workbench .view-line').allTextContents();
  assert.ok(!inlay.some((l) => /~ [\d.]+ (KiB|MiB)/.test(l)), 'no inlay hint while the CodeLens style is on');

  await openSetting('headroom.hints.enabled');
  await page.locator('.settings-editor .setting-value-checkbox').first().click();
  await shot('setting-enabled');
  await showFile('train.py');
  await lens.first().waitFor({ state: 'detached', timeout: 30_000 });
  await page.waitForTimeout(2_000);
  const lines = await page.locator('.monaco-workbench .view-line').allTextContents();
  assert.ok(!lines.some((l) => /~ [\d.]+ (KiB|MiB)/.test(l)), 'no hint at all once headroom.hints.enabled is off');
  await shot('off');
});
