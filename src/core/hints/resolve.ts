/**
 * Where Python will look for a relative path: the working directory. A notebook's kernel starts in
 * the notebook's folder; a script is usually run from the workspace folder (VS Code's Run Python File
 * and most terminals), else from its own folder. The first candidate that exists wins.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, normalize } from 'node:path';

export type SourceKind = 'script' | 'notebook';

export interface ResolveInput {
  /** The path as written in the call. */
  path: string;
  /** Absolute path of the .py file or the .ipynb notebook; undefined for unsaved documents. */
  documentPath?: string;
  kind: SourceKind;
  /** The workspace folder that holds the document. */
  workspaceFolder?: string;
  /** 'script-dir': the path was built from `__file__`, so only the document's folder applies. */
  anchor?: 'script-dir';
}

export type Resolution =
  | { found: true; file: string; tried: string[]; base: 'absolute' | 'workspace' | 'file' | 'notebook' | 'picked' }
  | { found: false; tried: string[]; reason: string };

const isFile = (path: string): boolean => {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
};

export function resolveDataPath(input: ResolveInput, exists: (path: string) => boolean = isFile): Resolution {
  const written = input.path.trim();
  if (/^[a-z][a-z0-9+.-]+:\/\//i.test(written)) {
    return { found: false, tried: [], reason: `${written} is a remote URL; Headroom sizes local files only` };
  }
  const expanded = written === '~' || written.startsWith('~/') ? join(homedir(), written.slice(1)) : written;
  if (isAbsolute(expanded)) {
    const file = normalize(expanded);
    return exists(file)
      ? { found: true, file, tried: [file], base: 'absolute' }
      : { found: false, tried: [file], reason: `${file} does not exist (yet)` };
  }
  const bases: { dir: string; base: 'workspace' | 'file' | 'notebook' }[] = [];
  const docDir = input.documentPath ? dirname(input.documentPath) : undefined;
  if (input.anchor === 'script-dir') {
    if (docDir) bases.push({ dir: docDir, base: 'file' });
  } else if (input.kind === 'notebook') {
    if (docDir) bases.push({ dir: docDir, base: 'notebook' });
  } else {
    if (input.workspaceFolder) bases.push({ dir: input.workspaceFolder, base: 'workspace' });
    if (docDir && docDir !== input.workspaceFolder) bases.push({ dir: docDir, base: 'file' });
  }
  const tried: string[] = [];
  for (const { dir, base } of bases) {
    const file = normalize(join(dir, expanded));
    tried.push(file);
    if (exists(file)) return { found: true, file, tried, base };
  }
  const where =
    bases.length === 0
      ? `the document is not saved, so there is no folder to resolve it from${input.anchor ? ' (it is built from __file__)' : ''}`
      : `looked in ${tried.join(' and ')}`;
  return { found: false, tried, reason: `${written} was not found: ${where}` };
}
