/**
 * Where the built files the engines load by path live (dist/workers/*.js, dist/python/): passed in
 * by the extension at activation (its own dist/), else next to this bundle (dist/cli.js,
 * dist/core-shared.js), else the repository's dist/ (tests run from sources). One definition for
 * the footprint pool and the tuning engine; lives in dist/core-shared.js, so what the extension sets
 * is what both engine bundles see.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

let given: string | undefined;

/** The extension's dist/, set once in activate(). */
export function setDistDir(dir: string): void {
  given = dir;
}

/** Folders that may be dist/, the given one first. */
export function distCandidates(): string[] {
  return [given, __dirname, join(__dirname, '..', '..', 'dist')].filter((d): d is string => d !== undefined);
}

/** The first candidate holding `file` (e.g. workers/footprint.js), or null. */
export function findInDist(file: string): string | null {
  const dir = distCandidates().find((d) => existsSync(join(d, file)));
  return dir === undefined ? null : join(dir, file);
}
