/**
 * The probe's answer kept on disk across processes, so that a CLI call does not start Python (about
 * 0.3-0.4 s to import pandas) just to learn versions it learned last time. An entry is used only while
 * everything that could change the answer is as it was when the probe ran: the interpreter's file, the
 * PYTHON* environment, and the modification times of every directory on the interpreter's sys.path
 * (pip adds and removes `NAME-VERSION.dist-info` folders there, so an install, upgrade or uninstall of
 * pandas or pyarrow changes them), of pandas' own package and dist-info folders and of pyvenv.cfg.
 * Any doubt (an unreadable file, a missing witness) is a miss: the probe then runs again.
 */
import { mkdirSync, readFileSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { PythonProbe } from './interpreter';

/** Nanosecond modification time and inode, as decimal strings (exact in both Python and Node). */
export type Stamp = { ns: string; ino: string };

/** What the probe script reports besides the versions, for the cache's validity. */
export interface ProbeWitnesses {
  /**
   * Paths whose stamps vouch for the answer (sys.path entries, pandas' folders, pyvenv.cfg), stamped
   * by Python while it probed (null: missing then), so a change during the probe is a miss later.
   */
  stamps: { path: string; stamp: Stamp | null }[];
  /** False when pandas or pyarrow came from the current directory: such an answer is not kept. */
  cacheable: boolean;
}

interface Entry {
  interpreter: Stamp;
  witnesses: ProbeWitnesses['stamps'];
  probe: Omit<PythonProbe, 'pythonPath'>;
  savedAt: number;
}

const FILE = 'python-probes.json';
/** Enough for every interpreter a user switches between; the oldest go first. */
const MAX_ENTRIES = 32;

/** The user's cache folder for Headroom ($HEADROOM_CACHE_DIR overrides it, e.g. in tests). */
export function headroomCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HEADROOM_CACHE_DIR) return env.HEADROOM_CACHE_DIR;
  if (process.platform === 'win32')
    return join(env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'), 'headroom', 'Cache');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'headroom');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'headroom');
}

function stamp(path: string): Stamp | null {
  try {
    const s = statSync(path, { bigint: true });
    return { ns: s.mtimeNs.toString(), ino: s.ino.toString() };
  } catch {
    return null;
  }
}

const same = (a: Stamp | null, b: Stamp | null) =>
  a === b || (a !== null && b !== null && a.ns === b.ns && a.ino === b.ino);

/** Where `python3` (a bare name) or a relative path leads, as execFile would find it; null if nowhere. */
function located(pythonPath: string): string | null {
  if (isAbsolute(pythonPath) || /[\\/]/.test(pythonPath)) return resolve(pythonPath);
  const exts = process.platform === 'win32' ? ['', '.exe', '.cmd', '.bat'] : [''];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean))
    for (const ext of exts) {
      const candidate = join(dir, pythonPath + ext);
      if (stamp(candidate)) return resolve(candidate);
    }
  return null;
}

/**
 * The interpreter as found (a venv's python is a link to a shared binary: the link's own path tells
 * the venv) and the PYTHON* environment, which changes sys.path; null when it cannot be found.
 */
function keyOf(pythonPath: string): string | null {
  const path = located(pythonPath);
  if (path === null) return null;
  const env = Object.keys(process.env)
    .filter((k) => k.startsWith('PYTHON'))
    .sort()
    .map((k) => `${k}=${process.env[k]}`);
  return JSON.stringify([path, ...env]);
}

function interpreterStamp(pythonPath: string): Stamp | null {
  try {
    const path = located(pythonPath);
    return path === null ? null : stamp(realpathSync(path));
  } catch {
    return null;
  }
}

function readAll(): Record<string, Entry> {
  try {
    const parsed = JSON.parse(readFileSync(join(headroomCacheDir(), FILE), 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, Entry>) : {};
  } catch {
    return {};
  }
}

/** The kept answer for `pythonPath`, or null when there is none or anything it depends on changed. */
export function cachedProbe(pythonPath: string): PythonProbe | null {
  const key = keyOf(pythonPath);
  const entry = key === null ? undefined : readAll()[key];
  if (!entry || !Array.isArray(entry.witnesses) || entry.witnesses.length === 0) return null;
  const interpreter = interpreterStamp(pythonPath);
  if (interpreter === null || !same(interpreter, entry.interpreter)) return null;
  for (const w of entry.witnesses) if (!same(stamp(w.path), w.stamp)) return null;
  return { pythonPath, ...entry.probe };
}

/** Keeps a probe's answer with the stamps taken now; never throws (the cache is only a shortcut). */
export function saveProbe(pythonPath: string, probe: PythonProbe, witnesses: ProbeWitnesses): void {
  // Without pandas the answer is about to change (pip install); from the current folder it is not the interpreter's.
  if (probe.pandas === null || !witnesses.cacheable || witnesses.stamps.length === 0) return;
  const key = keyOf(pythonPath);
  const interpreter = interpreterStamp(pythonPath);
  if (key === null || interpreter === null) return;
  try {
    const dir = headroomCacheDir();
    mkdirSync(dir, { recursive: true });
    const all = readAll();
    all[key] = {
      interpreter,
      witnesses: witnesses.stamps,
      probe: { python: probe.python, pandas: probe.pandas, pyarrow: probe.pyarrow },
      savedAt: Date.now(),
    };
    const kept = Object.entries(all)
      .sort((a, b) => b[1].savedAt - a[1].savedAt)
      .slice(0, MAX_ENTRIES);
    // Written whole and renamed into place: a concurrent reader sees the old file or the new one.
    const temp = join(dir, `${FILE}.${process.pid}.tmp`);
    writeFileSync(temp, JSON.stringify(Object.fromEntries(kept)));
    renameSync(temp, join(dir, FILE));
  } catch {
    // no cache this time
  }
}
