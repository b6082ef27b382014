// Dataset memory in a real VS Code (code-server + Chromium): analyzing a workspace CSV opens the
// panel with pandas' own total, the plan's code gives the promised total in real pandas, the
// Datasets view lists the file with its footprint, and the status bar shows it for the open CSV.
import { after, afterEach, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { artifactsDir, CodeServer, createProfile, removeProfile, type Profile } from './harness/codeServer';
import { analyzeFromPicker, openFile, webviewDiagnosis } from './harness/workbench';
import { pandasFrameBytes, pythons, repoRoot, requirePython } from '../support/python';

const python = requirePython(pythons.test);
let profile: Profile;
let server: CodeServer;
let browser: Browser;
let page: Page;

function bigCsv(rows: number): string {
  const cities = ['Berlin', 'Paris', 'Oslo', 'Lima'];
  const lines = ['id,score,ratio,delta,city'];
  for (let i = 0; i < rows; i++)
    lines.push(`${i},${(i * 7919) % 101},${((i * 104729) % 10000) / 10000},${(i % 11) - 5},${cities[i % 4]}`);
  return lines.join('\n') + '\n';
}

const pandasBytes = (code: string, cwd: string): number => pandasFrameBytes(python, code, cwd);

const PARQUET = `
import sys, numpy as np, pyarrow as pa, pyarrow.parquet as pq
n = 200_000
r = np.random.default_rng(1)
pq.write_table(pa.table({
    'order_id': np.arange(n),
    'amount': pa.array(np.round(r.random(n) * 500, 2), mask=r.random(n) < 0.03),
    'city': np.array(['Zürich', 'Lyon', 'Kraków', 'Porto'], dtype=object)[r.integers(0, 4, n)],
    'note': np.char.add('n', r.integers(0, 10 ** 7, n).astype(str)),
}), sys.argv[1])
`;

/** NUL bytes cut a field where they stand; a float beyond float64's range is inf (pandas 3) or text (pandas < 3). */
const ODD_FILES: Record<string, Buffer> = {
  'nul_fields.csv': Buffer.from(
    'name,score\n' +
      Array.from({ length: 400 }, (_, i) => `${i % 3 ? 'ab\0cd' : `n${i}\0`},${i}\0${i % 7}`).join('\n') +
      '\n',
  ),
  'huge_floats.csv': Buffer.from(
    'x,y\n' +
      Array.from({ length: 400 }, (_, i) => `${i === 200 ? '1e400' : (i / 7).toFixed(4)},${i}`).join('\n') +
      '\n',
  ),
};

/** The total `headroom footprint --json` gives for a workspace file, under the test's Python. */
function cliTotal(relativePath: string): number {
  const run = spawnSync(
    process.execPath,
    [join(repoRoot, 'dist', 'cli.js'), 'footprint', relativePath, '--json', '--python', python],
    { cwd: profile.workspaceDir, encoding: 'utf8' },
  );
  assert.equal(run.status, 0, run.stderr);
  return (JSON.parse(run.stdout) as { totalBytes: number }).totalBytes;
}

/** The dataset panel of `label` (its heading names the file) once its total is in. */
async function panelOf(label: string): Promise<Frame> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      // $eval does not wait for the element (textContent would wait 30 s in each frame without one).
      const heading = await frame.$eval('h1', (h) => h.textContent).catch(() => null);
      if (heading === label && (await frame.$('#total-now[data-bytes]').catch(() => null))) return frame;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(`the dataset panel of ${label} did not show its total within 60 s`);
}

async function shot(name: string): Promise<void> {
  await page.screenshot({ path: join(artifactsDir, `datasets-${name}.png`) });
}

/** Opens Quick Open from the command center (keyboard focus may be inside a webview) and types `text`. */
async function quickInput(text: string): Promise<void> {
  await page.click('.command-center-center');
  await page.mouse.move(700, 600); // no hover tooltip over the tabs afterwards
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(text);
}

async function runCommand(title: string): Promise<void> {
  await quickInput(`>${title}`);
  // Click the matching row: the highlighted first row may be another fuzzy match.
  const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`).first();
  await row.waitFor({ timeout: 15_000 });
  await row.click();
}

/** Opens the Headroom side bar unless it is open already (clicking its icon again would close it). */
async function showDatasetsView(): Promise<void> {
  const header = page.locator('.pane-header', { hasText: 'Datasets' });
  if (await header.isVisible()) return;
  await page.locator('.activitybar .action-label[aria-label^="Headroom"]').first().click();
  await header.waitFor({ timeout: 15_000 });
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(250);
  }
}

/** The dataset panel's document: iframe.webview, then its #active-frame. */
async function panelFrame(): Promise<Frame> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if ((await frame.$('#total-now').catch(() => null)) !== null) return frame;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(
    `the dataset panel did not render #total-now within 60 s\n${await webviewDiagnosis(page, profile.userDataDir)}`,
  );
}

before(async () => {
  profile = createProfile({ settings: { 'headroom.python.path': python } });
  // A file pandas cannot read, to see the error in plain words (in the test's copy of the workspace).
  writeFileSync(join(profile.workspaceDir, 'data', 'broken_rows.csv'), 'a,b\n1,2\n3,4,5,6\n');
  // Files pandas reads in its own way (issue 17): the panel must show what pandas and the CLI say.
  for (const [name, content] of Object.entries(ODD_FILES))
    writeFileSync(join(profile.workspaceDir, 'data', name), content);
  // A script that already reads the CSV (Insert at cursor edits its call) and one that does not.
  writeFileSync(
    join(profile.workspaceDir, 'load_customers.py'),
    'import pandas as pd\n\ncustomers = pd.read_csv("data/customers.csv")\nprint(customers.shape)\n',
  );
  writeFileSync(join(profile.workspaceDir, 'explore_notes.py'), '"""Notes on the customers."""\nimport pandas as pd\n');
  // Above the 64 MiB quick-first threshold: the panel shows a quick estimate, then the exact scan.
  writeFileSync(join(profile.workspaceDir, 'data', 'big_events.csv'), bigCsv(3_000_000));
  // A Parquet file (pyarrow: dictionary and plain pages, nulls, non-ASCII text).
  const made = spawnSync(python, ['-c', PARQUET, join(profile.workspaceDir, 'data', 'orders.parquet')], {
    encoding: 'utf8',
  });
  assert.equal(made.status, 0, made.stderr);
  server = await CodeServer.start(profile);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspaceDir)}`);
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
});

afterEach(async (t) => {
  if (page && t.name)
    await page.screenshot({
      path: join(artifactsDir, `datasets-last-${t.name.slice(0, 20).replace(/\W+/g, '-')}.png`),
    });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (profile) removeProfile(profile);
});

test('Analyze Dataset Memory on the open CSV shows pandas’ own total, and the plan’s code keeps its promise', async () => {
  // Open the CSV (Quick Open), then run the command from the palette on it.
  await openFile(page, 'customers.csv');
  await runCommand('Analyze Dataset Memory');
  const frame = await panelFrame();
  await frame.waitForSelector('#total-after[data-bytes]', { timeout: 60_000 });
  await frame.waitForSelector('#memory p', { timeout: 30_000 });
  await shot('panel');
  const total = Number(await frame.getAttribute('#total-now', 'data-bytes'));
  const suggested = Number(await frame.getAttribute('#total-after', 'data-bytes'));
  const defaultRead = pandasBytes('import pandas as pd\ndf = pd.read_csv("data/customers.csv")', profile.workspaceDir);
  assert.equal(total, defaultRead, 'the panel total is what pandas reports after a default read_csv');
  const code = (await frame.textContent('#code'))!;
  assert.match(code, /pd\.read_csv\(/);
  assert.equal(
    pandasBytes(code, profile.workspaceDir),
    suggested,
    'the generated code gives exactly the "after" total',
  );
  assert.ok(suggested < total / 2, `the plan saves more than half: ${total} -> ${suggested}`);
  const rows = await frame.$$eval('#columns-table tbody tr', (trs) => trs.length);
  assert.ok(rows >= 10, `one table row per column (${rows})`);
  // Keyboard sort: focus the "Column" header button and press Enter.
  await frame.focus('#columns-table thead button >> nth=1');
  await page.keyboard.press('Enter');
  const sorted = await frame.$$eval('#columns-table tbody th.name', (ths) => ths.map((t) => t.textContent ?? ''));
  assert.deepEqual(
    sorted,
    [...sorted].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
  );
  await shot('panel-sorted');
  await frame.locator('#memory').scrollIntoViewIfNeeded();
  assert.match((await frame.textContent('#memory')) ?? '', /available now; planning for .* \(20% kept free\)/);
  await shot('panel-memory');
});

test('the status bar shows the open CSV’s footprint', async () => {
  await page.click('.tab:not([aria-label*="Memory"])[aria-label*="customers.csv"]');
  await page.waitForSelector('.tab.active:not([aria-label*="Memory"])[aria-label*="customers.csv"]');
  const item = page.locator('.statusbar-item', { has: page.locator('.codicon-database') });
  await item.first().waitFor({ timeout: 30_000 });
  await shot('statusbar');
  assert.match((await item.first().textContent()) ?? '', /\d+(\.\d+)? (KiB|MiB)/);
});

test('the Datasets view lists the CSV with its footprint', async () => {
  await showDatasetsView();
  const row = page.locator('.monaco-list-row', { hasText: 'customers.csv' });
  await row.first().waitFor({ timeout: 30_000 });
  await row
    .filter({ hasText: /KiB|MiB/ })
    .first()
    .waitFor({ timeout: 60_000 });
  await shot('view');
  const text = (await row.first().textContent()) ?? '';
  assert.match(text, /customers\.csv.*\d+(\.\d+)? (KiB|MiB)/);
});

/** The text of the active editor's visible lines, top to bottom (Monaco renders spaces as U+00A0). */
async function editorLines(): Promise<string[]> {
  type Line = { textContent: string | null; style: { top: string } };
  return page.$$eval('.editor-instance .view-line', (els) =>
    (els as unknown as Line[])
      .map((e) => ({ top: parseInt(e.style.top, 10), text: (e.textContent ?? '').replace(/\u00a0/g, ' ') }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
}

async function clickInsert(): Promise<Frame> {
  await page.locator('.tab', { hasText: 'Memory: customers.csv' }).click();
  const frame = await panelFrame();
  await frame.click('#code ~ .code-actions vscode-button[secondary]');
  return frame;
}

test('Insert at cursor edits the read_csv call the file already has: no second import, no new df', async () => {
  await openFile(page, 'load_customers.py');
  await page.keyboard.press('Control+End');
  await clickInsert();
  await page.waitForSelector('.tab.active[aria-label*="load_customers.py"]', { timeout: 15_000 });
  await until('the call to get dtype=', async () => (await editorLines()).join('\n').includes('dtype={'));
  const text = (await editorLines()).join('\n');
  assert.equal(text.match(/import pandas as pd/g)?.length, 1, text);
  assert.equal(text.match(/read_csv\(/g)?.length, 1, `the existing call was edited:\n${text}`);
  // The call's own variable and path, the plan's dtype= added (one argument a line, as the quick fix does).
  assert.match(text, /^customers = pd\.read_csv\(\n\s+"data\/customers\.csv",\n\s+dtype=\{/m);
  assert.match(text, /^print\(customers\.shape\)$/m);
  assert.ok(!/^df = /m.test(text), 'no new df = line');
  // What happened is said where the user now looks (the editor took the panel's place).
  await page
    .locator('.statusbar-item', { hasText: 'Applied the plan to read_csv on line 3 of load_customers.py' })
    .waitFor({ timeout: 15_000 });
  await shot('applied');
});

test('Insert at cursor into a file without the call inserts the code, without the imports it already has', async () => {
  await openFile(page, 'explore_notes.py');
  await page.keyboard.press('Control+Home');
  await clickInsert();
  await page.waitForSelector('.tab.active[aria-label*="explore_notes.py"]', { timeout: 15_000 });
  await until('the code to be inserted', async () => (await editorLines()).join('\n').includes('dtype={'));
  const lines = await editorLines();
  const comment = lines.findIndex((l) => l.startsWith('# df.memory_usage(deep=True).sum() =='));
  assert.ok(comment > 0, lines.join('\n'));
  assert.match(lines[0], /^df = pd\.read_csv\(/, 'the file imports pandas already: no second import');
  assert.equal(lines.filter((l) => l === 'import pandas as pd').length, 1);
  assert.match(lines[comment + 1], /^"""Notes on the customers/, 'the file’s first line stays on its own line');
  await shot('inserted');
});

test('Copy says so next to the button', async () => {
  await page.locator('.tab', { hasText: 'Memory: customers.csv' }).click();
  const frame = await panelFrame();
  await frame.click('#code ~ .code-actions vscode-button:not([secondary])');
  await frame.waitForSelector('.code[data-snippet="code"] .code-note:has-text("Copied to the clipboard")', {
    timeout: 15_000,
  });
  await shot('copied');
});

test('with the Runs and Datasets views open, the Resources memory chart is not cut off', async () => {
  await showDatasetsView();
  await runCommand('Headroom: Show Resources');
  let frame: Frame | undefined;
  await until(
    'the Resources view',
    async () => {
      for (const f of page.frames()) if ((await f.$('#chart-memory canvas').catch(() => null)) !== null) frame = f;
      return !!frame;
    },
    // A silent page is loaded again after 8 s, then 16 s (WebviewChannel): this covers a second try.
    60_000,
  );
  await page.locator('.pane-header', { hasText: 'Runs' }).waitFor({ timeout: 15_000 });
  const fits = await frame!.evaluate(() => {
    const d = globalThis as unknown as {
      document: {
        querySelector(s: string): { getBoundingClientRect(): { bottom: number } } | null;
        body: { dataset: Record<string, string> };
      };
      innerHeight: number;
    };
    const bottom = d.document.querySelector('#chart-memory canvas')?.getBoundingClientRect().bottom ?? Infinity;
    return { bottom, height: d.innerHeight, chart: d.document.body.dataset.chartHeight };
  });
  await shot('resources-with-views');
  assert.ok(
    fits.bottom <= fits.height,
    `memory chart ends at ${fits.bottom} px in a ${fits.height} px view (plots ${fits.chart} px)`,
  );
});

test('a file pandas cannot read gets pandas’ error in plain words, not a stack trace', async () => {
  await analyzeFromPicker(page, 'broken_rows.csv');
  let frame: Frame | undefined;
  const deadline = Date.now() + 60_000;
  while (!frame && Date.now() < deadline) {
    for (const f of page.frames()) if ((await f.$('.error:not([hidden])').catch(() => null)) !== null) frame = f;
    if (!frame) await page.waitForTimeout(500);
  }
  assert.ok(frame, 'the panel shows an error');
  const text = (await frame.textContent('.error'))!;
  assert.match(text, /Expected 2 fields in line 3, saw 4/);
  assert.doesNotMatch(text, /\bat \S+ \(/);
  await shot('error');
});

test('NUL bytes inside fields and floats beyond float64: the panel shows pandas’ own total, as the CLI does', async () => {
  for (const name of Object.keys(ODD_FILES)) {
    await analyzeFromPicker(page, name);
    const frame = await panelOf(`data/${name}`);
    const shown = Number(await frame.getAttribute('#total-now', 'data-bytes'));
    const pandas = pandasBytes(`import pandas as pd\ndf = pd.read_csv("data/${name}")`, profile.workspaceDir);
    assert.equal(shown, pandas, `${name}: the panel's total is pandas' own`);
    assert.equal(cliTotal(`data/${name}`), pandas, `${name}: the CLI says the same`);
    await shot(`odd-${name.replace('.csv', '')}`);
  }
});

test('the panel stays readable in a high-contrast theme', async () => {
  await runCommand('Preferences: Color Theme');
  await page.keyboard.type('Dark High Contrast');
  const theme = page.locator('.quick-input-list .monaco-list-row[aria-label*="Dark High Contrast"]').first();
  await theme.waitFor({ timeout: 15_000 });
  await theme.click();
  await page.locator('.tab', { hasText: 'Memory: customers.csv' }).click();
  const frame = await panelFrame();
  await frame.waitForSelector('#total-now');
  await shot('panel-high-contrast');
  const hc = await frame.evaluate(
    () => (globalThis as unknown as { document: { body: { className: string } } }).document.body.className,
  );
  assert.match(hc, /vscode-high-contrast/);
});

test('a large file: the Datasets view shows a quick estimate (±%), the panel the exact total', async () => {
  await showDatasetsView();
  const item = page.locator('.monaco-list-row', { hasText: 'big_events.csv' }).filter({ hasText: /±/ }).first();
  await item.waitFor({ timeout: 120_000 });
  const quickText = (await item.textContent()) ?? '';
  const quick = /(\d+(?:\.\d+)?) MiB ±(<?\d+(?:\.\d+)?)%/.exec(quickText);
  assert.ok(quick, quickText);
  await item.click(); // opens the panel, which refines to exact
  let frame: Frame | undefined;
  const deadline = Date.now() + 180_000;
  while (!frame && Date.now() < deadline) {
    for (const f of page.frames()) {
      if (
        // $ and $eval do not wait (getAttribute and textContent wait 30 s in each frame without the element).
        (await f.$('#summary[data-mode="exact"]').catch(() => null)) &&
        (await f.$eval('h1', (h) => h.textContent).catch(() => ''))?.includes('big_events.csv')
      )
        frame = f;
    }
    if (!frame) await page.waitForTimeout(250);
  }
  assert.ok(frame, 'the panel reached the exact total');
  await shot('big-exact');
  const total = Number(await frame.getAttribute('#total-now', 'data-bytes'));
  const expected = pandasBytes('import pandas as pd\ndf = pd.read_csv("data/big_events.csv")', profile.workspaceDir);
  assert.equal(total, expected);
  const quickBytes = Number(quick[1]) * 1024 ** 2;
  assert.ok(Math.abs(quickBytes - total) / total < 0.03 + 0.005, `quick ${quick[0]} vs exact ${total}`);
});

test('a Parquet file: the Datasets view lists it, and its panel shows pandas’ own total', async () => {
  await showDatasetsView();
  const item = page.locator('.monaco-list-row', { hasText: 'orders.parquet' }).filter({ hasText: /MiB|KiB/ });
  await item.first().waitFor({ timeout: 60_000 });
  await item.first().click();
  // ($ does not wait: a frame without the element answers at once)
  let frame: Frame | undefined;
  const deadline = Date.now() + 60_000;
  while (!frame && Date.now() < deadline) {
    for (const f of page.frames()) {
      const title = await f
        .$('h1')
        .then((h) => h?.textContent() ?? null)
        .catch(() => null);
      if (title?.includes('orders.parquet') && (await f.$('#summary[data-mode="exact"]').catch(() => null))) frame = f;
    }
    if (!frame) await page.waitForTimeout(250);
  }
  assert.ok(frame, 'the panel shows the Parquet file, exact');
  await shot('parquet');
  const total = Number(await frame.getAttribute('#total-now', 'data-bytes'));
  const expected = pandasBytes(
    'import pandas as pd\ndf = pd.read_parquet("data/orders.parquet")',
    profile.workspaceDir,
  );
  assert.equal(total, expected, 'the panel total is what pandas reports after read_parquet');
  assert.match((await frame.textContent('#summary')) ?? '', /Now \(default read_parquet\)/);
  const code = (await frame.textContent('#code'))!;
  assert.match(code, /pd\.read_parquet\(/);
});
