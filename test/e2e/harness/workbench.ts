// Browser side of the e2e harness: a real VS Code (code-server) with the packaged VSIX, opened in
// headless Chromium and driven as a person would (palette, clicks, keyboard).
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import {
  artifactsDir,
  CodeServer,
  createProfile,
  removeProfile,
  type Profile,
  type ProfileOptions,
} from './codeServer';

export interface Workbench {
  profile: Profile;
  server: CodeServer;
  browser: Browser;
  page: Page;
  /** Closes the browser, stops code-server's whole process tree and removes the profile. */
  dispose(): Promise<void>;
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Debian's Chromium, headless, with the flags this machine's closed network needs. With `netns`, it
 * runs inside that network namespace (to reach a code-server started there): playwright talks to it
 * over inherited pipes, which `ip netns exec` passes through.
 */
export async function launchChromium(netns?: string): Promise<Browser> {
  if (!netns) return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const dir = mkdtempSync(join(tmpdir(), 'headroom-chromium-'));
  const wrapper = join(dir, 'chromium-in-netns');
  writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec '${netns}' /usr/bin/chromium "$@"\n`);
  chmodSync(wrapper, 0o755);
  try {
    return await chromium.launch({ executablePath: wrapper, args: CHROMIUM_ARGS });
  } finally {
    // The browser runs by now (or failed to start): the wrapper has done its part.
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface WorkbenchOptions extends ProfileOptions {
  /** Run code-server and Chromium inside this network namespace (CodeServer.start, launchChromium). */
  netns?: string;
}

/** Starts code-server on a fresh profile and opens its workspace; resolves once the status bar is up. */
export async function openWorkbench(options: WorkbenchOptions = {}): Promise<Workbench> {
  const profile = createProfile(options);
  const server = await CodeServer.start(profile, undefined, options.netns);
  let browser: Browser | undefined;
  try {
    browser = await launchChromium(options.netns);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${server.url}/?folder=${encodeURIComponent(profile.workspaceDir)}`);
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 90_000 });
    const opened = browser;
    return {
      profile,
      server,
      browser: opened,
      page,
      async dispose() {
        await opened.close().catch(() => undefined);
        await server.stop();
        removeProfile(profile);
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await server.stop();
    removeProfile(profile);
    throw error;
  }
}

/**
 * F1, type the command's title, wait for it in the list, Enter. Right after the workbench opens the
 * palette can list none of the extension's commands yet (seen at load 10: the extension host had not
 * registered them); such a palette is closed and opened afresh, up to three times.
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(title);
    try {
      await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label*="${title}"]`, { timeout: 15_000 });
    } catch (error) {
      if (attempt === 3) throw error;
      await page.keyboard.press('Escape');
      continue;
    }
    await page.keyboard.press('Enter');
    return;
  }
}

/**
 * Types `query` into Quick Open (Ctrl+P) and clicks the row whose label holds `label`. What the test
 * has just written or opened reaches the list only after a while on a loaded machine: the list is
 * asked again rather than waited on. The row is clicked: Enter picks the highlighted one, which may be
 * another match, or none while the list is refreshing.
 */
async function quickOpenPick(page: Page, query: string, label: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Control+P');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type(query);
    const row = page.locator(`.quick-input-list .monaco-list-row[aria-label*="${label}"]`).first();
    try {
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      return;
    } catch (error) {
      await page.keyboard.press('Escape');
      if (attempt === 4) throw error;
    }
  }
}

/** Opens a workspace file by Quick Open and waits for its tab. */
export async function openFile(page: Page, name: string): Promise<void> {
  await quickOpenPick(page, name, name);
  await page.waitForSelector(`.tab.active[aria-label*="${name}"]`, { timeout: 15_000 });
}

/**
 * Brings an open editor forward by Quick Open's list of open editors (`edt`), as a keyboard user
 * would, not by a click on its tab: while the window restores its editors the tab bar still moves,
 * and a click aimed at a tab can land on a close button.
 */
export async function showOpenEditor(page: Page, label: string): Promise<void> {
  await quickOpenPick(page, `edt ${label}`, label);
  await page.waitForSelector(`.tab.active[aria-label*="${label}"]`, { timeout: 15_000 });
}

/**
 * Runs Analyze Dataset Memory and picks `name` from its list of workspace files. A webview that
 * finishes loading (the Resources view, just focused) may take the keyboard focus, and losing focus
 * closes a quick pick in VS Code: a person then opens it again, and so does this.
 */
export async function analyzeFromPicker(page: Page, name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    // From the command center, not F1: the keyboard focus may be inside a webview (a dataset panel).
    await page.click('.command-center-center');
    await page.mouse.move(700, 600); // no hover tooltip over the tabs afterwards
    await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
    await page.keyboard.type('>Analyze Dataset Memory');
    const command = page.locator('.quick-input-list .monaco-list-row[aria-label*="Analyze Dataset Memory"]').first();
    await command.waitFor({ timeout: 15_000 });
    await command.click();
    try {
      const list = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
      await list.waitFor({ state: 'visible', timeout: 15_000 });
      await page.keyboard.type(name);
      const row = page.locator(`.quick-input-widget .quick-input-list .monaco-list-row[aria-label*="${name}"]`);
      await row.first().waitFor({ state: 'visible', timeout: 15_000 });
      await row.first().click();
      return;
    } catch (error) {
      if (attempt === 2) throw error;
      await page.keyboard.press('Escape');
    }
  }
}

/** The Headroom output channel's log file(s) of this profile, concatenated. */
export function headroomLog(userDataDir: string): string {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name === 'Headroom.log' && path.includes('headroom-dev.headroom')) found.push(path);
    }
  };
  if (existsSync(join(userDataDir, 'logs'))) walk(join(userDataDir, 'logs'));
  return found.map((f) => readFileSync(f, 'utf8')).join('\n');
}

/**
 * What a failed webview wait says, so a CI log shows why without its screenshots: each frame's address
 * and first words, the editor tabs, and the end of the Headroom log.
 */
export async function webviewDiagnosis(page: Page, userDataDir: string): Promise<string> {
  const frames: string[] = [];
  for (const frame of page.frames()) {
    const text = await frame
      .evaluate(
        () => (globalThis as unknown as { document: { body?: { innerText: string } } }).document.body?.innerText,
      )
      .catch((error: unknown) => `(unreadable: ${String(error).split('\n')[0]})`);
    frames.push(`  ${frameName(frame.url())}: ${JSON.stringify((text ?? '').slice(0, 80))}`);
  }
  const tabs = await page.$$eval('.tab', (els) => els.map((e) => e.getAttribute('aria-label') ?? '')).catch(() => []);
  const log = headroomLog(userDataDir).trimEnd().split('\n').slice(-30).join('\n');
  return [`frames:`, ...frames, `tabs: ${tabs.join(' | ')}`, `Headroom log (end):`, log].join('\n');
}

/** A webview frame by its page and webview id (outer index.html or inner fake.html), others by address. */
function frameName(url: string): string {
  const parsed = URL.canParse(url) ? new URL(url) : null;
  if (!parsed?.pathname.includes('/webview/')) return url.slice(0, 120);
  return `webview ${parsed.pathname.split('/').pop()} id=${parsed.searchParams.get('id') ?? '?'}`;
}

/** The labels the command palette lists for `query` (closes the palette afterwards). */
export async function commandPaletteItems(page: Page, query: string): Promise<string[]> {
  await page.keyboard.press('F1');
  await page.waitForSelector('.quick-input-widget input', { state: 'visible' });
  await page.keyboard.type(query);
  await page.waitForTimeout(400);
  const labels = await page.$$eval('.quick-input-list .monaco-list-row', (rows) =>
    rows.map((row) => row.getAttribute('aria-label') ?? row.textContent ?? ''),
  );
  await page.keyboard.press('Escape');
  return labels;
}

/** The content frame of the webview whose outer iframe matches `selector` (iframe.webview -> #active-frame). */
export async function webviewFrame(page: Page, selector = 'iframe.webview', timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      for (const outer of await page.$$(selector)) {
        const outerFrame = await outer.contentFrame();
        const inner = outerFrame && (await outerFrame.$('#active-frame'));
        const frame = inner && (await inner.contentFrame());
        if (frame && (await frame.$('body > *'))) return frame;
      }
    } catch (error) {
      // A webview shown again reloads its frames; one that navigates between the lookups is not there yet.
      if (!frameInFlux(error)) throw error;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no webview matching ${selector} within ${timeoutMs} ms`);
}

/**
 * The run panel of the run named `name`: the frame whose script is ready and whose heading is `name`.
 * When it does not come, the error says what the page held instead (webviewDiagnosis).
 */
export async function runPanelFrame(page: Page, name: string, userDataDir: string, timeoutMs = 60_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      const title = await frame.$eval('body[data-ready] h1', (h) => h.textContent).catch(() => null);
      if (title === name) return frame;
    }
    await page.waitForTimeout(500);
  }
  throw new Error(
    `the run panel of "${name}" did not appear within ${timeoutMs} ms\n${await webviewDiagnosis(page, userDataDir)}`,
  );
}

/** Whether `error` says a frame navigated or went away while it was read (so reading it again later may work). */
function frameInFlux(error: unknown): boolean {
  return /Execution context was destroyed|Frame was detached|frame got detached/i.test(String(error));
}

/** Saves a screenshot under test/e2e/artifacts/ (git-ignored) and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
