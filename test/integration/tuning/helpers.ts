import { mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunEvent, RunSummary } from '../../../src/core/tuning/events';
import { startRun, type EngineOptions, type RunHandle } from '../../../src/core/tuning';
import { pythons, requirePython } from '../../support/python';

export const python = requirePython(pythons.test);

/** A fresh workspace (with .git so runs land in it) holding the given files (paths may have folders). */
const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

export function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-tune-'));
  created.push(dir);
  mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Fast sampling so short test trials are seen; trials use the test venv unless the spec says otherwise. */
export const testOptions: EngineOptions = { python: { setting: python }, sampleIntervalMs: 100, guardIntervalMs: 100 };

export async function runToEnd(
  spec: string,
  options: EngineOptions = {},
): Promise<{ summary: RunSummary; events: RunEvent[]; handle: RunHandle }> {
  const handle = await startRun(spec, { ...testOptions, ...options });
  const events: RunEvent[] = [];
  handle.onEvent((e) => events.push(e));
  const summary = await handle.done;
  return { summary, events, handle };
}

/** Processes (other than this one) whose command line or working directory lies under `dir`. */
export function processesUnder(dir: string): { pid: number; cmd: string }[] {
  const out: { pid: number; cmd: string }[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
      const cmd = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${name}/cwd`);
      } catch {
        // exited meanwhile
      }
      if (cmd.includes(dir) || cwd.startsWith(dir)) out.push({ pid: Number(name), cmd });
    } catch {
      // gone
    }
  }
  return out;
}

export async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const spec = (dir: string, name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** Children of this process that exited and were never reaped (a worker thread that stopped listening). */
export function zombieChildren(): number[] {
  return readdirSync('/proc').flatMap((name) => {
    if (!/^\d+$/.test(name)) return [];
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[0] === 'Z' && Number(fields[1]) === process.pid ? [Number(name)] : [];
    } catch {
      return [];
    }
  });
}
