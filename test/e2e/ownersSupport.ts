// Beside the memory-by-owner e2e test: the programs it runs, and what it reads besides the workbench:
// /proc (processes, their memory, the kernel's Pss) and the Resources webview's frame.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import type { Frame, Page } from 'playwright-core';
import { ResourceSampler } from '../../src/core/monitor/sampler';

// Each trial holds `mb` MiB until killed; two run at once. The first is quick (a run checks that its
// first trial works before it starts the others).
export const HOLD = `import sys, time\nmb = int(sys.argv[sys.argv.index('--mb') + 1])\nif mb < 10:\n    print('{"m": 0}')\n    sys.exit()\nb = b'x' * (mb << 20)\ntime.sleep(900)\n`;
// An unrelated memory hog (not started from VS Code): grows to HOG_MIB in 256 MiB steps, holds for at
// most two minutes (the test kills it sooner), then exits.
export const HOG_MIB = 6144;
export const HOG = `import time\nheld = []\nfor _ in range(${HOG_MIB >> 8}):\n    held.append(b'x' * (256 << 20))\n    time.sleep(0.05)\ntime.sleep(120)\n`;
// A program a person runs from a VS Code terminal: holds TERMINAL_MIB of touched memory, sleeps.
export const TERMINAL_SCRIPT = 'terminal_cache.py';
export const TERMINAL_MIB = 300;
export const TERMINAL_HOLD = `import time\ncache = b'x' * (${TERMINAL_MIB} << 20)\nprint('holding', len(cache) >> 20, 'MiB', flush=True)\ntime.sleep(300)\n`;
export const SPEC = `name: hold\nscript: hold.py\nparams:\n  mb: [1, 1200, 1201]\nmetric: m\ncache: false\nresources:\n  workers: 2\n  threadsPerTrial: 1\n`;

/** Resident bytes of a process (0 once gone). */
export function rss(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/statm`, 'utf8').split(' ')[1]) * 4096;
  } catch {
    return 0;
  }
}

/** Processes of `marker` (a path on their command line) holding over 1 GiB: the trials holding their memory. */
export function holding(marker: string): number[] {
  return pidsWith(marker).filter((pid) => rss(pid) > 1 << 30);
}

/** Focus back on the workbench (F1 does not reach the palette from inside a webview). */
export async function focusWorkbench(page: Page): Promise<void> {
  await page.locator('.part.sidebar .composite.title').first().click();
}

export function pidsWith(marker: string): number[] {
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

export async function until<T>(
  what: string,
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  ms: number,
) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** In the Resources webview: the theme's six chart colours, and each named owner's swatch colour. */
export const THEME_PROBE = `(() => {
  const probe = document.createElement('span');
  document.body.append(probe);
  const palette = ['blue', 'orange', 'purple', 'green', 'yellow', 'red'].map((c) => {
    probe.style.color = 'var(--vscode-charts-' + c + ')';
    return getComputedStyle(probe).color;
  });
  probe.remove();
  const swatches = [...document.querySelectorAll('#owners-list .owner:not(.owner-other):not(.owner-free) .swatch')];
  const colours = swatches.map((s) => getComputedStyle(s).backgroundColor);
  const chart = document.querySelector('#chart-owners canvas');
  return colours.length > 0 && colours.every((c) => palette.includes(c)) && chart ? { palette, colours } : false;
})()`;

/** Available and total memory, as the extension's monitor reads them (a container's limit included). */
export async function memoryNow(): Promise<{ available: number; total: number }> {
  const { memory } = await new ResourceSampler().sample('status');
  return { available: memory.availableBytes, total: memory.totalBytes };
}

/** Available memory in percent of the total. */
export async function availablePercent(): Promise<number> {
  const { available, total } = await memoryNow();
  return (available / total) * 100;
}

/** A process and its descendants. */
export function treeOf(root: number): number[] {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parent.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parent) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

/** What the kernel says a process tree holds: the sum of smaps_rollup's Pss. */
export function treePss(root: number): number {
  return treeOf(root).reduce((sum, pid) => {
    try {
      return sum + Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))![1]) * 1024;
    } catch {
      return sum; // exited since
    }
  }, 0);
}

/** "312 MiB", "1.17 GiB" as the view shows them, in bytes. */
export function parseBytes(text: string): number {
  const m = /^([\d.]+) (B|KiB|MiB|GiB|TiB)$/.exec(text.trim());
  assert.ok(m, `memory as the view shows it: ${text}`);
  return Number(m[1]) * 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB'].indexOf(m[2]);
}

/** The Resources webview: the frame holding #section-owners. */
export async function resourcesFrame(page: Page): Promise<Frame> {
  return until(
    'the Resources view',
    async () => {
      for (const f of page.frames()) if (await f.$('#section-owners').catch(() => null)) return f;
      return false;
    },
    60_000,
  );
}

/** Shells (a terminal's) running in `dir`. */
export function shellsIn(dir: string): number[] {
  return readdirSync('/proc').flatMap((entry) => {
    try {
      const shell = /^(ba|da|z)?sh$/.test(readFileSync(`/proc/${entry}/comm`, 'utf8').trim());
      return shell && readlinkSync(`/proc/${entry}/cwd`) === dir ? [Number(entry)] : [];
    } catch {
      return [];
    }
  });
}

/** Processes running in `dir` with `marker` on their command line, holding at least `minBytes`. */
export function programsIn(dir: string, marker: string, minBytes: number): number[] {
  return pidsWith(marker).filter((pid) => {
    try {
      return readlinkSync(`/proc/${pid}/cwd`) === dir && rss(pid) >= minBytes;
    } catch {
      return false;
    }
  });
}
