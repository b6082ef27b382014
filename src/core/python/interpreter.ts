/**
 * Asks a Python interpreter, once, which Python and pandas it runs and whether pyarrow imports:
 * the byte counts of a frame depend on all three. Probes are cached per interpreter path; a failed
 * probe is retried after a short while (the user may be installing pandas right now).
 */
import { execFile, type ChildProcess } from 'node:child_process';

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
const PROBE = `
import json, sys
out = {"python": "%d.%d" % sys.version_info[:2], "pandas": None, "pyarrow": False}
try:
    import pandas
    out["pandas"] = pandas.__version__
except Exception:
    pass
try:
    import pyarrow
    out["pyarrow"] = True
except Exception:
    pass
print(json.dumps(out))
`;

const SELECT_HINT = 'select an interpreter with "Python: Select Interpreter", or set headroom.python.path';
const FAILED_RETRY_MS = 30_000;

const cache = new Map<string, { at: number; probe: Promise<PythonProbe> }>();
const running = new Set<ChildProcess>();

/** Runs the probe in `pythonPath` (cached). Rejects with a PythonError in plain words. */
export function probePython(
  pythonPath: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<PythonProbe> {
  const cached = cache.get(pythonPath);
  if (cached) return cached.probe;
  const probe = runProbe(pythonPath, options.timeoutMs ?? 15_000, options.signal);
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

function runProbe(pythonPath: string, timeoutMs: number, signal?: AbortSignal): Promise<PythonProbe> {
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
          const parsed = JSON.parse(String(stdout).trim().split('\n').pop() ?? '') as Omit<PythonProbe, 'pythonPath'>;
          if (!/^\d+\.\d+$/.test(parsed.python)) throw new Error('no version');
          resolve({ pythonPath, python: parsed.python, pandas: parsed.pandas, pyarrow: parsed.pyarrow === true });
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
