/**
 * Starting a trial's Python process: under a supervisor (python/headroom_runtime/_supervisor.py)
 * that kills the trial's whole tree when the engine dies or the trial ends, in its own process
 * group, with the runtime on PYTHONPATH, thread limits for every BLAS/OpenMP flavour, and the
 * engine pipe on fds 3 (trial -> engine) and 4 (engine -> trial).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { delimiter, join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { JsonLines } from './outputSink';
import { isAlive, killTree } from './processTree';

export const THREAD_ENV_VARS = [
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'NUMEXPR_NUM_THREADS',
  'VECLIB_MAXIMUM_THREADS',
  // Pools a trial starts itself: joblib/loky's cpu_count() (what n_jobs=-1 means, scikit-learn's
  // cross_val_score, GridSearchCV, RandomForest), numba, polars and other Rust (rayon) libraries.
  'LOKY_MAX_CPU_COUNT',
  'NUMBA_NUM_THREADS',
  'POLARS_MAX_THREADS',
  'RAYON_NUM_THREADS',
];

export interface PythonLaunch {
  python: string;
  args: string[];
  cwd: string;
  runtimeDir: string;
  threadsPerTrial: number;
  env: Record<string, string>;
}

export function trialEnv(launch: PythonLaunch): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...launch.env };
  for (const name of THREAD_ENV_VARS) env[name] = String(launch.threadsPerTrial);
  env.PYTHONPATH = [launch.runtimeDir, process.env.PYTHONPATH, launch.env.PYTHONPATH].filter(Boolean).join(delimiter);
  env.HEADROOM_OUT_FD = '3';
  env.HEADROOM_IN_FD = '4';
  // Output must reach the log as it happens, not when a 8 KiB buffer fills or the process dies.
  env.PYTHONUNBUFFERED = '1';
  // The supervisor compares its parent with this to notice the engine's death (and removes it).
  env.HEADROOM_ENGINE_PID = String(process.pid);
  return env;
}

/** The supervisor's command line: `-I -S` so it imports nothing of the trial's environment. */
export function supervisedArgs(launch: PythonLaunch): string[] {
  return ['-I', '-S', join(launch.runtimeDir, 'headroom_runtime', '_supervisor.py'), launch.python, ...launch.args];
}

export interface PythonChild {
  child: ChildProcess;
  /** The supervisor's pid: the root of the trial's tree and of its process group; its own memory is not the trial's. */
  pid: number;
  stdout: Readable;
  stderr: Readable;
  /** Resolves when the process has exited (code or signal). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  send(message: Record<string, unknown>): void;
  onMessage(handler: (message: Record<string, unknown>) => void): void;
  kill(signal?: NodeJS.Signals): void;
}

/** Spawns; rejects with a clear message when the interpreter cannot be started. */
export function startPython(launch: PythonLaunch): Promise<PythonChild> {
  return new Promise((resolve, reject) => {
    const child = spawn(launch.python, supervisedArgs(launch), {
      cwd: launch.cwd,
      env: trialEnv(launch),
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'pipe', 'pipe'],
    });
    const handlers: ((m: Record<string, unknown>) => void)[] = [];
    const lines = new JsonLines();
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.once('exit', (code, signal) => done({ code, signal })),
    );
    child.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'ENOENT'
            ? `Python interpreter not found: ${launch.python}`
            : `cannot start ${launch.python}: ${error.message}`,
        ),
      );
    });
    child.once('spawn', () => {
      const fromTrial = child.stdio[3] as Readable;
      const toTrial = child.stdio[4] as Writable;
      fromTrial.on('data', (chunk: Buffer) => lines.push(chunk, (m) => handlers.forEach((h) => h(m))));
      fromTrial.on('error', () => undefined);
      toTrial.on('error', () => undefined);
      const pid = child.pid!;
      resolve({
        child,
        pid,
        stdout: child.stdout!,
        stderr: child.stderr!,
        exited,
        send: (message) => {
          if (!toTrial.destroyed) toTrial.write(JSON.stringify(message) + '\n');
        },
        onMessage: (handler) => handlers.push(handler),
        kill: (signal = 'SIGKILL') => killTree(pid, signal),
      });
    });
  });
}

/** SIGTERM the tree, then SIGKILL whatever is left after `graceMs`. Resolves when the root has exited. */
export async function terminate(p: PythonChild, graceMs: number): Promise<void> {
  if (graceMs <= 0) {
    p.kill('SIGKILL');
  } else {
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), graceMs);
    await p.exited;
    clearTimeout(timer);
  }
  await p.exited;
  // Stragglers that left the group but are still in the session.
  if (isAlive(p.pid)) p.kill('SIGKILL');
  killTree(p.pid, 'SIGKILL');
}

/** Python-style rendering of a param on the command line: None, True/False, numbers, strings. */
export function paramArg(value: unknown): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return String(value);
}

const SIGNAL_NAMES: Record<string, string> = {
  SIGSEGV: 'segmentation fault',
  SIGABRT: 'aborted',
  SIGKILL: 'killed',
  SIGBUS: 'bus error',
  SIGFPE: 'floating-point exception',
  SIGILL: 'illegal instruction',
  SIGTERM: 'terminated',
};

export function describeExit(code: number | null, signal: string | null, lastStderrLine: string): string {
  const why = signal
    ? `killed by ${signal}${SIGNAL_NAMES[signal] ? ` (${SIGNAL_NAMES[signal]})` : ''}`
    : `exit code ${code}`;
  return lastStderrLine ? `${why}: ${lastStderrLine}` : why;
}

/** Keeps the last non-empty line of a stream (stderr), bounded. */
export class LastLine {
  private tail = '';
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  push(chunk: Buffer): void {
    this.tail = (
      this.tail + this.decoder.decode(chunk.subarray(Math.max(0, chunk.length - 4096)), { stream: true })
    ).slice(-4096);
  }

  get line(): string {
    const lines = this.tail
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return (lines[lines.length - 1] ?? '').slice(0, 300);
  }
}
