/**
 * The glue's one door to engine code (src/core/footprint, tuning, python): ESLint lets the rest of
 * the glue import those only as types. Each engine module exists once in the extension host
 * (scripts/bundles.mjs builds it into one bundle; scripts/check-bundles.mjs proves it), so its state
 * (the run registry, the footprint worker pool, the Python probe cache) and its error classes are
 * the engine's own, whoever calls.
 *
 * - Loaded with the extension (dist/core-shared.js): the run store and the Python probe, small and
 *   needed at once, and also used by the lazy engines.
 * - Loaded on first use (dist/lazy-*.js): the heavy engines, so activation compiles only the glue.
 */
export { deleteRun, listRuns, readRun } from './core/tuning/runStore';
export { runLogPath } from './core/tuning/runLog';
export { dropExistingImports } from './core/footprint/snippetImports';
export { setDistDir } from './core/distDir';
export {
  DATASET_DIALOG_EXTENSIONS,
  DATASET_FILE,
  DATASET_GLOB,
  READ_CALL_DATA_GLOB,
  SPEC_FILE,
  SPEC_GLOB,
  YAML_SPEC_FILE,
} from './core/fileKinds';
export {
  choosePython,
  discoverPython,
  clearPythonCache,
  describePythonSource,
  killPythonProbes,
  probePython,
  resolvePandasModel,
  type ModelResolution,
} from './core/python';

export type FootprintEngine = typeof import('./core/footprint/index');
export type TuningEngine = typeof import('./core/tuning/index');
export type SpecChecks = typeof import('./core/specEditing/specChecks');

let footprint: Promise<FootprintEngine> | undefined;
let loadedFootprint: FootprintEngine | undefined;
let tuning: Promise<TuningEngine> | undefined;
let checks: Promise<SpecChecks> | undefined;

export function footprintEngine(): Promise<FootprintEngine> {
  footprint ??= import('./core/footprint/index').then((engine) => (loadedFootprint = engine));
  return footprint;
}

export function tuningEngine(): Promise<TuningEngine> {
  tuning ??= import('./core/tuning/index');
  return tuning;
}

/** Headroom's own checks of tuning specs (they parse YAML, which is a large library). */
export function specChecks(): Promise<SpecChecks> {
  checks ??= import('./core/specEditing/specChecks');
  return checks;
}

/** Stops the footprint worker pool (every footprint scan's, tuning's data estimate included) if the engine was loaded. */
export async function closeFootprintEngine(): Promise<void> {
  if (footprint) await (await footprint).closeFootprintPool();
}

/** A FootprintError thrown by the footprint engine (only a loaded engine throws one). */
export function isFootprintError(error: unknown): error is InstanceType<FootprintEngine['FootprintError']> {
  return loadedFootprint !== undefined && error instanceof loadedFootprint.FootprintError;
}
