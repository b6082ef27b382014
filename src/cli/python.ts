// Which Python the CLI's commands use: the same chain as VS Code's (core/python/choice.ts), where a
// terminal adds its own links: --python, then an activated virtualenv or conda environment, then the
// workspace around the file (a .vscode/settings.json naming Python, a .venv), then python3.
import { dirname, resolve } from 'node:path';
import { discoverPython } from '../core/python';
import type { ChosenPython, PythonChoice } from '../core/python/choice';

/** What the terminal says about the interpreter, for a command working on `file` (a spec or a dataset). */
export function cliPythonChoice(flag: string | undefined, file: string): PythonChoice {
  return {
    flag,
    discovered: discoverPython({ env: process.env, from: dirname(resolve(file)), useActivatedEnvironments: true }),
  };
}

/** The line each command prints first, so the user sees which Python (and why) before any number. */
export function pythonLine(chosen: Pick<ChosenPython, 'path' | 'from'>): string {
  return `Python: ${chosen.path} (from ${chosen.from})`;
}
