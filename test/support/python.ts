import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Interpreters prepared by scripts/setup-python.sh, each with the pandas model it carries. */
export const pythons = {
  /** pandas 3.x + pyarrow + scikit-learn + psutil (the repository's .venv, which the demo and the CLI use too). */
  test: join(root, '.venv', 'bin', 'python'),
  /** pandas 2.2.x + pyarrow. */
  pandas2: join(root, '.venv-pandas2', 'bin', 'python'),
  /** ipykernel, for real Jupyter kernels. */
  jupyter: join(root, '.venv-jupyter', 'bin', 'python'),
  /** Debian's python3 with pandas 1.5.3 (python3-pandas). */
  pandas1: '/usr/bin/python3',
};

export function requirePython(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup-python.sh`);
  return path;
}

export const repoRoot = root;

/** Runs `code` (which must leave a DataFrame in `df`) in real pandas and returns memory_usage(deep=True).sum(). */
export function pandasFrameBytes(python: string, code: string, cwd: string): number {
  const run = spawnSync(python, ['-c', `${code}\nprint(int(df.memory_usage(deep=True).sum()))`], {
    cwd,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`pandas failed (exit ${run.status}):\n${run.stderr}`);
  return Number(run.stdout.trim().split('\n').pop());
}
