import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Interpreters prepared by scripts/setup-python.sh, each with the pandas model it carries. */
export const pythons = {
  /** pandas 3.x + pyarrow + scikit-learn + psutil. */
  test: join(root, '.venv', 'test', 'bin', 'python'),
  /** pandas 2.2.x + pyarrow. */
  pandas2: join(root, '.venv', 'pandas2', 'bin', 'python'),
  /** Debian's python3 with pandas 1.5.3 (python3-pandas). */
  pandas1: '/usr/bin/python3',
};

export function requirePython(path: string): string {
  if (!existsSync(path)) throw new Error(`${path} is missing: run scripts/setup-python.sh`);
  return path;
}

export const repoRoot = root;
