/**
 * The interpreter a user means when nothing more specific names one: an activated virtualenv or conda
 * environment, the Python their VS Code workspace is set to, or the workspace's `.venv`. The CLI asks
 * this after its `--python` flag; VS Code asks it after the Python extension and the setting, for the
 * workspace folder. Each answer says where it came from, so the user can see which Python was used.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface FoundPython {
  path: string;
  /** Where it came from, in words ("the active virtualenv $VIRTUAL_ENV", ...). */
  source: string;
}

export interface DiscoverOptions {
  /** The process environment (VIRTUAL_ENV, CONDA_PREFIX, HEADROOM_PYTHON). */
  env: Record<string, string | undefined>;
  /** The folder to search from and upwards: the spec's or data file's folder, or the workspace folder. */
  from: string;
  /** Whether activated environments count (a terminal's do; VS Code's own process environment does not). */
  useActivatedEnvironments: boolean;
}

/** Python's executable inside an environment folder (POSIX and Windows layouts). */
function environmentPython(folder: string): string | undefined {
  return [join(folder, 'bin', 'python'), join(folder, 'Scripts', 'python.exe')].find((p) => existsSync(p));
}

/** The settings VS Code users set for a folder's interpreter, in the order Headroom honours them. */
const SETTING_KEYS = ['headroom.python.path', 'python.defaultInterpreterPath'] as const;

/**
 * JSON with comments and trailing commas (the format of .vscode/settings.json) to plain JSON text: comments
 * outside strings are dropped, as are commas before a closing bracket.
 */
export function stripJsonComments(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
      out += text.slice(start, i + 1);
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '\n';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 1;
    } else out += c;
  }
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** The interpreter a folder's .vscode/settings.json names (relative paths and ${workspaceFolder} resolved). */
function fromWorkspaceSettings(folder: string): FoundPython | undefined {
  const file = join(folder, '.vscode', 'settings.json');
  if (!existsSync(file)) return undefined;
  let settings: Record<string, unknown>;
  try {
    settings = JSON.parse(stripJsonComments(readFileSync(file, 'utf8'))) as Record<string, unknown>;
  } catch {
    return undefined; // VS Code tolerates a broken settings file too; the next link of the chain answers
  }
  for (const key of SETTING_KEYS) {
    const value = settings[key];
    if (typeof value !== 'string' || !value.trim()) continue;
    const expanded = value.trim().replace(/\$\{workspaceFolder\}/g, folder);
    // A bare command ("python3") is looked up on PATH, as VS Code does; a path is relative to the folder.
    const path = expanded.includes('/') && !isAbsolute(expanded) ? resolve(folder, expanded) : expanded;
    return { path, source: `${key} in ${file}` };
  }
  return undefined;
}

/** The nearest folder at or above `from` with a settings file naming Python, or a .venv / venv. */
function fromWorkspace(from: string): FoundPython | undefined {
  for (let folder = resolve(from); ; folder = dirname(folder)) {
    const named = fromWorkspaceSettings(folder);
    if (named) return named;
    for (const name of ['.venv', 'venv']) {
      const python = environmentPython(join(folder, name));
      if (python) return { path: python, source: `the workspace's ${name} (${join(folder, name)})` };
    }
    if (dirname(folder) === folder) return undefined;
  }
}

/** Activated environments first (a terminal's intent), then the workspace; undefined when none applies. */
export function discoverPython(options: DiscoverOptions): FoundPython | undefined {
  const { env } = options;
  if (options.useActivatedEnvironments) {
    if (env.HEADROOM_PYTHON?.trim()) return { path: env.HEADROOM_PYTHON.trim(), source: '$HEADROOM_PYTHON' };
    for (const [variable, what] of [
      ['VIRTUAL_ENV', 'the active virtualenv'],
      ['CONDA_PREFIX', 'the active conda environment'],
    ] as const) {
      const folder = env[variable];
      const python = folder ? environmentPython(folder) : undefined;
      if (python) return { path: python, source: `${what} ($${variable}=${folder})` };
    }
  }
  return fromWorkspace(options.from);
}
