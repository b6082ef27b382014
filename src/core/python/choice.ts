/**
 * Which Python runs the user's code: one ordered chain for every face. The VS Code side fills in
 * what the Python extension and the `headroom.python.path` setting say; the CLI what its flags and
 * environment say; a tuning spec may name its own interpreter first.
 */
import { isAbsolute, resolve } from 'node:path';

import type { FoundPython } from './discover';

/** What the caller knows beyond the spec; each absent when it has no say. */
export interface PythonChoice {
  /** The CLI's `--python`. */
  flag?: string;
  /** The Python extension's active interpreter. */
  pythonExtension?: string;
  /** The `headroom.python.path` setting. */
  setting?: string;
  /** What discoverPython found: an activated environment (CLI), the workspace's settings or .venv. */
  discovered?: FoundPython;
}

/** Which link of the chain won. */
export type PythonSource = 'spec' | 'flag' | 'python extension' | 'setting' | 'discovered' | 'default';

export interface ChosenPython {
  path: string;
  source: PythonSource;
  /** Which source chose it, in words, for the log line and the CLI's first line. */
  from: string;
}

/** The interpreter when nothing names one. */
export const DEFAULT_PYTHON = 'python3';

/**
 * The spec's `python:` (relative to the spec's folder `specDir`), then the CLI's --python, the Python
 * extension's interpreter, the setting (relative to the caller's cwd), what discoverPython found, python3.
 */
export function choosePython(choice: PythonChoice, fromSpec?: { python: string; specDir: string }): ChosenPython {
  const relativeTo = (base: string, p: string) => (p.includes('/') && !isAbsolute(p) ? resolve(base, p) : p);
  const chosen = (path: string, source: PythonSource, from?: string): ChosenPython => ({
    path,
    source,
    from: from ?? describePythonSource(source),
  });
  if (fromSpec?.python) return chosen(relativeTo(fromSpec.specDir, fromSpec.python), 'spec');
  if (choice.flag) return chosen(relativeTo('.', choice.flag), 'flag');
  if (choice.pythonExtension) return chosen(relativeTo('.', choice.pythonExtension), 'python extension');
  if (choice.setting) return chosen(relativeTo('.', choice.setting), 'setting');
  if (choice.discovered) return chosen(choice.discovered.path, 'discovered', choice.discovered.source);
  return chosen(DEFAULT_PYTHON, 'default');
}

/** "the Python extension's interpreter", for messages that say which source chose the interpreter. */
export function describePythonSource(source: PythonSource): string {
  switch (source) {
    case 'spec':
      return 'the spec';
    case 'flag':
      return '--python';
    case 'python extension':
      return "the Python extension's interpreter";
    case 'setting':
      return 'the headroom.python.path setting';
    case 'discovered':
      return "the workspace's environment";
    case 'default':
      return 'python3 from PATH: no activated virtualenv or conda environment, no .venv and no setting found';
  }
}
