// The README's first quick-start command as a user runs it: `npm run demo` prints a URL, and the VS Code
// at that URL has Headroom active on the demo workspace (its status bar item and its sidebar's views).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { freePort, repoRoot, stopProcessTree } from './harness/codeServer';
import { launchChromium, runCommand, screenshot } from './harness/workbench';

describe('npm run demo', () => {
  let demoPid: number | undefined;
  let browser: Browser | undefined;
  after(async () => {
    await browser?.close().catch(() => undefined);
    if (demoPid !== undefined) await stopProcessTree(demoPid);
  });

  it('prints the URL of a VS Code with Headroom active on the demo workspace', async () => {
    const port = await freePort();
    // detached: a process group of its own, so the demo's code-server and everything below it stop together.
    const demo = spawn('npm', ['run', '--silent', 'demo'], {
      cwd: repoRoot,
      env: { ...process.env, PORT: String(port) },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    demoPid = demo.pid;
    let output = '';
    demo.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    demo.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 10 minutes:\n${output.slice(-4000)}`)), 600_000);
        const look = (): void => {
          const match = /Headroom demo: open (http:\/\/127\.0\.0\.1:(\d+)\/\?folder=\S+)/.exec(output);
          if (!match) return;
          clearTimeout(timer);
          resolve(match[1]);
        };
        demo.stdout.on('data', look);
        demo.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`npm run demo exited (${code}) before printing a URL:\n${output.slice(-4000)}`));
        });
      });
      assert.ok(url.startsWith(`http://127.0.0.1:${port}/?folder=`), url);
      assert.ok(url.endsWith('/demo'), `the demo workspace is opened: ${url}`);

      browser = await launchChromium();
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      // code-server starts listening a moment after the URL is printed.
      for (let attempt = 0; ; attempt++) {
        try {
          await page.goto(url);
          break;
        } catch (error) {
          if (attempt >= 60) throw error;
          await page.waitForTimeout(500);
        }
      }
      // As openWorkbench does: the workbench first, then Headroom's item (both slow on a loaded machine).
      await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 120_000 });
      const item = page.locator('.statusbar-item', { hasText: /CPU \d+%/ }).first();
      await item.waitFor({ timeout: 120_000 });
      assert.match((await item.innerText()).replace(/\s+/g, ' '), /CPU \d+% RAM \d+\.\d\/\d+\.\d GiB/);
      // Headroom's sidebar lists the demo's dataset, which only an active Headroom on demo/ can show.
      await runCommand(page, 'Headroom: Show Resources');
      await page
        .locator('.pane-header', { hasText: /Datasets/i })
        .first()
        .waitFor({ timeout: 30_000 });
      const dataset = page.locator('.monaco-list-row', { hasText: 'customers.csv' }).first();
      await dataset.waitFor({ timeout: 60_000 });
      // ...with its footprint computed (the engine and the demo's Python both work), not only listed.
      await page
        .locator('.monaco-list-row', { hasText: /customers\.csv.*\d (KiB|MiB)/ })
        .first()
        .waitFor({ timeout: 120_000 });
      await screenshot(page, 'demo-workbench');
    } catch (error) {
      // What the demo printed and what the browser showed are the only clues afterwards.
      console.log(`# npm run demo printed:\n${output.slice(-6000).replace(/^/gm, '# ')}`);
      const shown = browser?.contexts().flatMap((c) => c.pages())[0];
      if (shown) await screenshot(shown, 'demo-workbench-failed').catch(() => undefined);
      throw error;
    }
  });
});
