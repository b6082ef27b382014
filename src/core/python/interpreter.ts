/**
 * Asks a Python interpreter, once, which Python and pandas it runs and whether pyarrow imports:
 * the byte counts of a frame depend on all three. Probes are cached per interpreter path; a failed
 * probe is retried after a short while (the user may be installing pandas right now).
 */
import type { ChildProcess } from 'node:child_process';
import { cachedProbe, saveProbe, type ProbeWitnesses } from './probeCache';

export interface PythonProbe {
  pythonPath: string;
  /** major.minor, e.g. "3.11". */
  python: string;
  /** Full pandas version ("2.2.3"), or null when pandas does not import. */
  pandas: string | null;
  pyarrow: boolean;
}

/** missing: no such file; failed: it would not run or did not answer like Python. */
export type PythonErrorCode = 'missing' | 'failed' | 'timeout' | 'cancelled';

export class PythonError extends Error {
  constructor(
    readonly code: PythonErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'PythonError';
  }
}

// Prints one JSON line; each import is tried on its own so a broken pyarrow does not hide pandas.
// "witnesses": the stamps (st_mtime_ns, st_ino) of what the answer depends on, for the disk cache
// (probeCache.ts): every sys.path entry, pandas' package and dist-info folders, pyvenv.cfg.
const PROBE = `
import json, os, sys
out = {"python": "%d.%d" % sys.version_info[:2], "pandas": None, "pyarrow": False}
origins = []
try:
    import pandas
    out["pandas"] = pandas.__version__
    origins.append(os.path.dirname(os.path.abspath(pandas.__file__)))
except Exception:
    pass
try:
    import pyarrow
    out["pyarrow"] = True
    origins.append(os.path.dirname(os.path.abspath(pyarrow.__file__)))
except Exception:
    pass
try:
    paths = [os.path.abspath(p) for p in sys.path if p]
    paths.append(os.path.join(sys.prefix, "pyvenv.cfg"))
    try:
        from importlib import metadata
        paths.append(os.path.abspath(str(metadata.distribution("pandas")._path)))
    except Exception:
        pass
    paths += origins
    cwd = os.getcwd()
    cacheable = "" not in sys.path or all(os.path.dirname(o) != cwd for o in origins)
    stamps = []
    for p in dict.fromkeys(paths):
        try:
            st = os.stat(p)
            stamps.append({"path": p, "stamp": {"ns": str(st.st_mtime_ns), "ino": str(st.st_ino)}})
        except OSError:
            stamps.append({"path": p, "stamp": None})
    out["witnesses"] = {"stamps": stamps, "cacheable": cacheable}
except Exception:
    pass
print(json.dumps(out))
`;

const SELECT_HINT = 'select an interpreter with "Python: Select Interpreter", or set headroom.python.path';
const FAILED_RETRY_MS = 30_000;

const cache = new Map<string, { at: number; probe: Promise<PythonProbe> }>();
const running = new Set<ChildProcess>();

export interface ProbeOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Also keep the answer on disk and use a kept one while the interpreter and its packages are
   * unchanged (probeCache.ts): for short-lived processes (the CLI), which would start Python each time.
   */
  persist?: boolean;
}

/** Runs the probe in `pythonPath` (cached). Rejects with a PythonError in plain words. */
export function probePython(pythonPath: string, options: ProbeOptions = {}): Promise<PythonProbe> {
  const cached = cache.get(pythonPath);
  if (cached) return cached.probe;
  const kept = options.persist ? cachedProbe(pythonPath) : null;
  const probe = kept
    ? Promise.resolve(kept)
    : runProbe(pythonPath, options.timeoutMs ?? 15_000, options.signal, options.persist === true);
  const entry = { at: Date.now(), probe };
  cache.set(pythonPath, entry);
  probe.then(
    (result) => {
      // Without pandas the answer may change soon (pip install): forget it after a while.
      if (result.pandas === null)
        setTimeout(() => cache.get(pythonPath) === entry && cache.delete(pythonPath), FAILED_RETRY_MS).unref();
    },
    () => cache.get(pythonPath) === entry && cache.delete(pythonPath),
  );
  return probe;
}

export function clearPythonCache(): void {
  cache.clear();
}

/** Kills probes still running (on deactivate). */
export function killPythonProbes(): void {
  for (const child of running) child.kill();
  running.clear();
}

function runProbe(
  pythonPath: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  persist: boolean,
): Promise<PythonProbe> {
  // Required when a probe runs: a call answered from the kept probe (most CLI calls) never loads
  // child_process and what it pulls in (net, dgram: ~2 ms of the CLI's start-up).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { execFile } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((resolve, reject) => {
    const child = execFile(
      pythonPath,
      ['-c', PROBE],
      { timeout: timeoutMs, signal, windowsHide: true },
      (error, stdout, stderr) => {
        running.delete(child);
        if (error) {
          reject(explain(pythonPath, error as NodeJS.ErrnoException & { killed?: boolean }, String(stderr), timeoutMs));
          return;
        }
        try {
          const parsed = JSON.parse(String(stdout).trim().split('\n').pop() ?? '') as Omit<
            PythonProbe,
            'pythonPath'
          > & {
            witnesses?: ProbeWitnesses;
          };
          if (!/^\d+\.\d+$/.test(parsed.python)) throw new Error('no version');
          const probe = { pythonPath, python: parsed.python, pandas: parsed.pandas, pyarrow: parsed.pyarrow === true };
          if (persist && Array.isArray(parsed.witnesses?.stamps)) saveProbe(pythonPath, probe, parsed.witnesses);
          resolve(probe);
        } catch {
          reject(new PythonError('failed', `${pythonPath} did not answer like a Python 3 interpreter`, SELECT_HINT));
        }
      },
    );
    running.add(child);
  });
}

function explain(
  pythonPath: string,
  error: NodeJS.ErrnoException & { killed?: boolean },
  stderr: string,
  timeoutMs: number,
): PythonError {
  if (error.name === 'AbortError')
    return new PythonError('cancelled', 'Cancelled while asking Python for its pandas version');
  if (error.code === 'ENOENT')
    return new PythonError('missing', `Python interpreter not found: ${pythonPath}`, SELECT_HINT);
  if (error.code === 'EACCES') return new PythonError('failed', `${pythonPath} is not executable`, SELECT_HINT);
  if (error.killed)
    return new PythonError(
      'timeout',
      `${pythonPath} did not answer within ${Math.round(timeoutMs / 1000)} s`,
      SELECT_HINT,
    );
  const last = stderr.trim().split('\n').pop() ?? '';
  return new PythonError('failed', `${pythonPath} failed${last ? `: ${last}` : ''}`, SELECT_HINT);
}
