/**
 * The heavy engines, loaded on first use. scripts/build.mjs builds each into a bundle of its own
 * (dist/lazy-*.js) and points these imports there, so activation compiles only the glue: the three
 * together are most of the code, and compiling them up front cost tens of milliseconds.
 */
import type { FootprintError } from './core/footprint/types';

export type FootprintEngine = typeof import('./core/footprint/index');
export type TuningEngine = typeof import('./core/tuning/index');
export type SpecChecks = typeof import('./core/runView/specChecks');

let footprint: Promise<FootprintEngine> | undefined;
let tuning: Promise<TuningEngine> | undefined;
let checks: Promise<SpecChecks> | undefined;

export function footprintEngine(): Promise<FootprintEngine> {
  footprint ??= import('./core/footprint/index');
  return footprint;
}

export function tuningEngine(): Promise<TuningEngine> {
  tuning ??= import('./core/tuning/index');
  return tuning;
}

/** Headroom's own checks of tuning specs (they parse YAML, which is a large library). */
export function specChecks(): Promise<SpecChecks> {
  checks ??= import('./core/runView/specChecks');
  return checks;
}

/** Stops the footprint worker pool if the engine was ever loaded. */
export async function closeFootprintEngine(): Promise<void> {
  if (footprint) await (await footprint).closeFootprintPool();
}

/**
 * A FootprintError from the engine. The engine's bundle has its own copy of the class, so
 * `instanceof` against this bundle's would fail: errors are recognised by name and code.
 */
export function isFootprintError(error: unknown): error is FootprintError {
  return (
    error instanceof Error && error.name === 'FootprintError' && typeof (error as { code?: unknown }).code === 'string'
  );
}

/** Likewise for the tuning engine's SpecError (a bad spec, with line and column per issue). */
export function isSpecError(
  error: unknown,
): error is Error & { issues: { message: string; line: number; column: number; path: string }[] } {
  return error instanceof Error && error.name === 'SpecError' && Array.isArray((error as { issues?: unknown }).issues);
}
