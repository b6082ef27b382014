/**
 * The workspace's own Python modules a trial's code imports, directly or through each other: a change
 * to any of them must change the trial cache key (cache.ts), or a run would reuse results computed
 * with the old code. Imports are read with a line-level pattern, not a Python parser: a name that
 * does not resolve to a file under the import roots (numpy, the standard library) is simply not
 * local, and a false match in a string at worst hashes one more file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Bounds for a pathological tree: enough for any project's own modules. */
const MAX_MODULES = 500;
const MAX_MODULE_BYTES = 4 * 1024 * 1024;

const IMPORT = /^[ \t]*import[ \t]+([\w.][\w., \t]*)/gm;
const FROM = /^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\(?[ \t]*([\w., \t*]*)/gm;

function moduleFile(dir: string, dotted: string): string | null {
  if (!dotted) return null;
  const base = join(dir, ...dotted.split('.'));
  for (const file of [`${base}.py`, join(base, '__init__.py')]) {
    if (existsSync(file) && statSync(file).isFile()) return file;
  }
  return null;
}

/** `a.b.c` imports the packages a and a.b too (their __init__.py run first). */
function withParents(dotted: string): string[] {
  const parts = dotted.split('.');
  return parts.map((_, i) => parts.slice(0, i + 1).join('.'));
}

/** The files of the modules one file's imports name, looked up under `roots` (or relative to it). */
function importsOf(file: string, text: string, roots: string[]): string[] {
  const found: string[] = [];
  const absolute = (dotted: string) => {
    for (const name of withParents(dotted)) {
      for (const root of roots) {
        const f = moduleFile(root, name);
        if (f) {
          found.push(f);
          break;
        }
      }
    }
  };
  for (const m of text.matchAll(IMPORT)) {
    for (const item of m[1].split(',')) absolute(item.trim().split(/[ \t]/)[0]);
  }
  for (const m of text.matchAll(FROM)) {
    const [, dots, module, names] = m;
    const imported = names
      .split(',')
      .map((n) => n.trim().split(/[ \t]/)[0])
      .filter((n) => n && n !== '*');
    if (dots) {
      // relative: one dot is this file's package (its folder), each more dot a folder up
      let dir = dirname(file);
      for (let i = 1; i < dots.length; i++) dir = dirname(dir);
      for (const name of module ? withParents(module) : []) {
        const f = moduleFile(dir, name);
        if (f) found.push(f);
      }
      for (const n of imported) {
        const f = moduleFile(dir, module ? `${module}.${n}` : n);
        if (f) found.push(f);
      }
    } else {
      absolute(module);
      // `from pkg import sub` may name a submodule
      for (const n of imported) {
        for (const root of roots) {
          const f = moduleFile(root, `${module}.${n}`);
          if (f) found.push(f);
        }
      }
    }
  }
  return found;
}

/** The local modules `entryFile` imports, transitively, in discovery order (the entry itself excluded). */
export function localModules(entryFile: string, roots: string[]): string[] {
  const seen = new Set<string>([entryFile]);
  const queue = [entryFile];
  const out: string[] = [];
  while (queue.length > 0 && out.length < MAX_MODULES) {
    const file = queue.shift()!;
    let text: string;
    try {
      if (statSync(file).size > MAX_MODULE_BYTES) continue;
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const f of importsOf(file, text, roots)) {
      if (seen.has(f)) continue;
      seen.add(f);
      out.push(f);
      queue.push(f);
    }
  }
  return out;
}
