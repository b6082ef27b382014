// Memory by owner in a real VS Code (code-server + Chromium): the Resources view lists a real Jupyter
// kernel (named by its notebook) and a real tuning run started from the palette, each with its memory
// and process tree on hover. Screenshots in test/e2e/artifacts/owners-*.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Frame, Page } from 'playwright-core';
import { openWorkbench, runCommand, screenshot, type Workbench } from './harness/workbench';
import { artifactsDir } from './harness/codeServer';
import { pythons, requirePython } from '../support/python';

const python = requirePython(pythons.test);
// Each trial holds `mb` MiB until killed; two run at once.
const HOLD = `import sys, time\nb = b'x' * (int(sys.argv[sys.argv.index('--mb') + 1]) << 20)\ntime.sleep(900)\n`;
const SPEC = `name: hold\nscript: hold.py\nparams:\n  mb: [1200, 1201, 1202]\nmetric: m\ncache: false\nresources:\n  workers: 2\n  threadsPerTrial: 1\n`;

function pidsWith(marker: string): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    if (!/^\d+$/.test(entry)) return [];
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return [];
      return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker) ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms: number) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The Resources webview: the frame holding #section-owners. */
async function resourcesFrame(page: Page): Promise<Frame> {
  return until(
    'the Resources view',
    async () => {
      for (const f of page.frames()) if (await f.$('#section-owners').catch(() => null)) return f;
      return false;
    },
    60_000,
  );
}

describe('memory by owner', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  let bench: Workbench;
  let page: Page;
  let kernel: ChildProcess;
  /** Trial processes: their command lines name this workspace's hold.py. */
  let MARKER = '';

  before(async () => {
    bench = await openWorkbench({
      settings: { 'headroom.python.path': python, 'headroom.monitor.lowMemoryPercent': 0 },
    });
    page = bench.page;
    MARKER = join(bench.profile.workspaceDir, 'hold.py');
    writeFileSync(join(bench.profile.workspaceDir, 'hold.py'), HOLD);
    writeFileSync(join(bench.profile.workspaceDir, 'hold.tune.yaml'), SPEC);
    writeFileSync(
      join(bench.profile.workspaceDir, 'analysis.ipynb'),
      '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}',
    );
    // A real kernel, as Jupyter starts one for a notebook (JPY_SESSION_NAME names the notebook).
    kernel = spawn(
      requirePython(pythons.jupyter),
      ['-m', 'ipykernel_launcher', '-f', join(bench.profile.root, 'kernel-e2e.json')],
      {
        env: { ...process.env, JPY_SESSION_NAME: join(bench.profile.workspaceDir, 'analysis.ipynb') },
        stdio: 'ignore',
      },
    );
  });

  let tests = 0;
  afterEach(async () => {
    // What the workbench showed at the end of each test (failed ones included).
    await screenshot(page, `owners-after-${++tests}`);
  });

  after(async () => {
    kernel?.kill('SIGKILL');
    // The extension host's logs, next to the screenshots.
    if (bench)
      execFileSync('sh', [
        '-c',
        `cp -r ${bench.profile.userDataDir}/logs ${join(artifactsDir, 'owners-logs')} || true`,
      ]);
    await bench?.dispose();
    if (MARKER) for (const pid of pidsWith(MARKER)) process.kill(pid, 'SIGKILL');
  });

  it('the Resources view lists the kernel and the run, with memory, sparkline and process tree', async () => {
    // The extension is up once its status bar item shows a reading (a loaded machine is slow to get there).
    await page
      .locator('.statusbar-item', { hasText: /CPU \d+%/ })
      .first()
      .waitFor({ timeout: 120_000 });
    await until(
      'Start Tuning Run in the palette',
      () =>
        runCommand(page, 'Headroom: Start Tuning Run').then(
          () => true,
          async () => (await page.keyboard.press('Escape'), false),
        ),
      90_000,
    );
    // More than one spec in the workspace: pick ours.
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'hold.tune.yaml' }).first();
    await pick
      .waitFor({ timeout: 30_000 })
      .then(() => pick.click())
      .catch(() => undefined);
    await screenshot(page, 'owners-start');
    await until('two trials holding their memory', () => pidsWith(MARKER).length >= 2, 120_000);
    await page.keyboard.press('Escape');
    await runCommand(page, 'Headroom: Show Resources');
    const frame = await resourcesFrame(page);
    const run = frame.locator('#owners-list .owner-run', { hasText: 'Run "hold"' });
    const nb = frame.locator('#owners-list .owner-kernel', { hasText: 'Kernel: analysis.ipynb' });
    await run.waitFor({ timeout: 60_000 });
    await nb.waitFor({ timeout: 30_000 });
    await until(
      'the run to hold its memory',
      async () => /GiB/.test((await run.locator('.owner-bytes').textContent()) ?? ''),
      60_000,
    );
    assert.equal(await run.locator('.owner-measure').textContent(), 'PSS');
    assert.ok(await frame.locator('#owners-list .owner-vscode').count(), 'VS Code has an entry');
    assert.ok(await frame.locator('#owners-list .owner-free').count(), 'free memory has an entry');
    await frame.locator('#section-owners').scrollIntoViewIfNeeded();
    await until(
      'the stacked chart',
      async () => Number(await frame.getAttribute('#chart-owners', 'data-points')) >= 3,
      30_000,
    );
    await screenshot(page, 'owners-view');
    // Hover: the run's process tree, every trial with its pid.
    await run.hover();
    const tip = frame.locator('#owner-tip');
    await tip.waitFor({ state: 'visible', timeout: 10_000 });
    const text = (await tip.textContent()) ?? '';
    for (const pid of pidsWith(MARKER)) assert.ok(text.includes(String(pid)), `trial ${pid} in the hover: ${text}`);
    assert.match(text, /hold\.py/);
    await screenshot(page, 'owners-hover');
    // The status bar tooltip names the largest owners.
    await page.mouse.move(0, 0);
  });
});
