/**
 * What a spec file says now that the spec stored with a run does not: `--resume` runs the stored
 * spec (its trial ids and cache keys depend on it), so an edit made since is reported, not ignored.
 */
import type { ResolvedSpec } from './types';

function flatten(value: unknown, path: string, out: Map<string, string>): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flatten(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, JSON.stringify(value));
}

/** Dotted names of the fields that differ (params.lr, resources.workers, ...), sorted. */
export function specDifferences(stored: ResolvedSpec, current: ResolvedSpec): string[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  // Where the interpreter came from is not part of the spec; the interpreter is, when the spec names it.
  const strip = (s: ResolvedSpec) => ({
    ...s,
    pythonSource: undefined,
    pythonFrom: undefined,
    python: s.pythonSource === 'spec' ? s.python : undefined,
  });
  flatten(strip(stored), '', a);
  flatten(strip(current), '', b);
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((k) => a.get(k) !== b.get(k)).sort();
}
