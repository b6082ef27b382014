/**
 * Which Python runs the user's code: one ordered chain for every face. The VS Code side fills in
 * what the Python extension and the `headroom.python.path` setting say; the CLI what its flags and
 * environment say; a tuning spec may name its own interpreter first.
 */
import { isAbsolute, resolve } from 'node:path';

/** What the caller knows beyond the spec; each absent when it has no say. */
export interface PythonChoice {
  /** The Python extension's active interpreter. */
  pythonExtension?: string;
  /** The `headroom.python.path` setting (or the CLI's equivalent). */
  setting?: string;
}

/** Which link of the chain won. */
export type PythonSource = 'spec' | 'python extension' | 'setting' | 'default';

export interface ChosenPython {
  path: string;
  source: PythonSource;
}

/** The interpreter when nothing names one. */
export const DEFAULT_PYTHON = 'python3';

/**
 * The spec's `python:` (relative to the spec's folder `specDir`), then the Python extension's
 * interpreter, then the setting (both relative to the caller's cwd), then python3.
 */
export function choosePython(choice: PythonChoice, fromSpec?: { python: string; specDir: string }): ChosenPython {
  const relativeTo = (base: string, p: string) => (p.includes('/') && !isAbsolute(p) ? resolve(base, p) : p);
  if (fromSpec?.python) return { path: relativeTo(fromSpec.specDir, fromSpec.python), source: 'spec' };
  if (choice.pythonExtension) return { path: relativeTo('.', choice.pythonExtension), source: 'python extension' };
  if (choice.setting) return { path: relativeTo('.', choice.setting), source: 'setting' };
  return { path: DEFAULT_PYTHON, source: 'default' };
}

/** "the Python extension's interpreter", for messages that say which source chose the interpreter. */
export function describePythonSource(source: PythonSource): string {
  switch (source) {
    case 'spec':
      return "the spec's python:";
    case 'python extension':
      return "the Python extension's interpreter";
    case 'setting':
      return 'the headroom.python.path setting';
    case 'default':
      return 'the default, python3';
  }
}
