/**
 * Where the built files the engines load by path live (dist/workers/*.js, dist/python/, dist/wasm/):
 * passed in by the extension at activation (its own dist/), else next to this bundle (dist/cli.js,
 * dist/core-shared.js), else the repository's dist/ (tests run from sources). The one definition,
 * for the footprint pool, the tuning engine, the Python parser and the runtime install (ESLint keeps
 * __dirname out of the rest of src/); lives in dist/core-shared.js, so what the extension sets is
 * what every engine bundle sees.
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

/**
 * Folders that may hold the shipped headroom_runtime package: dist/python, then the checkout's
 * python/ beside a dist/ (running from sources before a build).
 */
export function pythonPackageCandidates(): string[] {
  return distCandidates().flatMap((d) => [join(d, 'python'), join(d, '..', 'python')]);
}
