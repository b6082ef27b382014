// The live resource monitor in a real VS Code: the status bar item against the kernel's own
// numbers, the sidebar it opens, the Resources charts filling in, the palette listing the commands.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { repoRoot } from './harness/codeServer';
import { commandPaletteItems, openWorkbench, screenshot, webviewFrame, type Workbench } from './harness/workbench';

const GiB = 1024 ** 3;

function meminfo(): { total: number; available: number } {
  const text = readFileSync('/proc/meminfo', 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)![1]) * 1024;
  return { total: kb('MemTotal'), available: kb('MemAvailable') };
}

/** The container limit when one applies (then the status bar's total is the limit). */
function cgroupLimit(): number | undefined {
  try {
    const max = readFileSync('/sys/fs/cgroup/memory.max', 'utf8').trim();
    return max === 'max' ? undefined : Number(max);
  } catch {
    return undefined;
  }
}

async function statusText(page: Page): Promise<string> {
  const item = page.locator('.statusbar-item', { hasText: /CPU \d+%/ }).first();
  await item.waitFor({ timeout: 60_000 });
  return (await item.innerText()).replace(/\s+/g, ' ').trim();
}

describe('live resource monitor', () => {
  let bench: Workbench;
  before(async () => {
    bench = await openWorkbench();
  });
  after(async () => {
    await bench?.dispose();
  });

  it('the status bar shows CPU % and RAM that agree with /proc/meminfo within 0.5 GiB', async () => {
    const { page } = bench;
    const before = meminfo();
    const text = await statusText(page);
    const after = meminfo();
    await screenshot(page, 'monitor-statusbar');
    const match = /CPU (\d+)% RAM (\d+\.\d)\/(\d+\.\d) GiB/.exec(text);
    assert.ok(match, `status bar text: ${text}`);
    const cpu = Number(match[1]);
    assert.ok(cpu >= 0 && cpu <= 100, `CPU ${cpu}%`);
    const total = cgroupLimit() ?? before.total;
    assert.ok(
      Math.abs(Number(match[3]) * GiB - Math.min(total, before.total)) <= 0.05 * GiB,
      `total ${match[3]} GiB vs ${before.total / GiB}`,
    );
    const used = Number(match[2]) * GiB;
    const low = before.total - Math.max(before.available, after.available) - 0.5 * GiB;
    const high = before.total - Math.min(before.available, after.available) + 0.5 * GiB;
    assert.ok(
      used >= low && used <= high,
      `used ${match[2]} GiB, /proc/meminfo says ${((before.total - before.available) / GiB).toFixed(2)} GiB`,
    );
    const label = await page
      .locator('.statusbar-item', { hasText: /CPU \d+%/ })
      .first()
      .getAttribute('aria-label');
    assert.match(label ?? '', /^Headroom Resources/);
  });

  it('clicking it opens the Headroom sidebar with the Resources view, whose charts gain points', async () => {
    const { page } = bench;
    await page
      .locator('.statusbar-item', { hasText: /CPU \d+%/ })
      .first()
      .click();
    await page.locator('.part.sidebar .composite.title', { hasText: /headroom/i }).waitFor({ timeout: 30_000 });
    await page.locator('.part.sidebar .pane-header', { hasText: 'Resources' }).waitFor({ timeout: 30_000 });
    const frame = await webviewFrame(page);
    await frame.waitForSelector('#chart-cpu canvas', { timeout: 30_000 });
    await frame.waitForSelector('#chart-memory canvas', { timeout: 30_000 });
    const points = async () => Number(await frame.getAttribute('#chart-cpu', 'data-points'));
    const first = await points();
    await page.waitForTimeout(3500);
    const later = await points();
    assert.ok(later > first, `points went from ${first} to ${later}`);
    assert.ok(Number(await frame.getAttribute('#chart-memory', 'data-points')) >= later - 1);
    await screenshot(page, 'monitor-sidebar');

    // Hidden and shown again, the view comes back with its history, not an empty chart.
    await page.keyboard.press('Control+B');
    await page.waitForTimeout(1500);
    await page.keyboard.press('Control+B');
    const again = await webviewFrame(page);
    await again.waitForSelector('#chart-cpu canvas', { timeout: 30_000 });
    const restored = Number(await again.getAttribute('#chart-cpu', 'data-points'));
    assert.ok(restored >= later, `after hide/show: ${restored} points, before ${later}`);
    await screenshot(page, 'monitor-sidebar-restored');
  });

  it('the command palette lists the Headroom commands', async () => {
    const { page } = bench;
    const manifest = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
    const contextual = new Set<string>(
      (manifest.contributes.menus.commandPalette ?? [])
        .filter((m: { when?: string }) => m.when)
        .map((m: { command: string }) => m.command),
    );
    const commands = (manifest.contributes.commands as { command: string; title: string; category: string }[]).filter(
      (c) => !contextual.has(c.command),
    );
    assert.ok(commands.length >= 8, 'the palette should offer the Headroom commands');
    for (const command of commands) {
      assert.equal(command.category, 'Headroom');
      assert.match(command.command, /^headroom\.[a-z][A-Za-z]+$/);
      const labels = await commandPaletteItems(page, `Headroom: ${command.title}`);
      assert.ok(
        labels.some((l) => l.includes(`Headroom: ${command.title}`)),
        `"Headroom: ${command.title}" is not in the palette (saw: ${labels.slice(0, 5).join(' | ')})`,
      );
    }
    await page.keyboard.press('F1');
    await page.keyboard.type('Headroom:');
    await page.waitForTimeout(500);
    await screenshot(page, 'monitor-palette');
    await page.keyboard.press('Escape');
  });
});
