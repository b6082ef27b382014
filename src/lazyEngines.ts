/**
 * The glue's one door to engine code (src/core/footprint, tuning, python, hints, the owners crawler,
 * the spec checks, new specs, the runtime installer): ESLint lets the rest of the glue import those only as types. Each engine module exists once in the extension host
 * (scripts/bundles.mjs builds it into one bundle; scripts/check-bundles.mjs proves it), so its state
 * (the run registry, the footprint worker pool, the Python probe cache) and its error classes are
 * the engine's own, whoever calls.
 *
 * - Loaded with the extension (dist/core-shared.js): the run store and the Python probe, small and
 *   needed at once, and also used by the lazy engines.
 * - Loaded on first use (dist/lazy-*.js): the heavy engines, so activation compiles only the glue;
 *   code that runs only once an engine has loaded gets it from `engine.loaded()`.
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
export type HintsEngine = typeof import('./core/hints/index');
export type OwnersEngine = typeof import('./core/monitor/ownersMonitor');
export type NewSpecEngine = typeof import('./core/specEditing/newSpec');
export type RuntimeInstaller = typeof import('./core/runtime/install');

/** One engine bundle: its module is loaded once, on the first call, and kept. */
interface LazyEngine<T> {
  (): Promise<T>;
  /** The module once it has loaded, for code that runs only after that (undefined before). */
  loaded(): T | undefined;
  /** Whether a load was asked for (it may still be under way). */
  started(): boolean;
}

function lazyEngine<T>(load: () => Promise<T>): LazyEngine<T> {
  let pending: Promise<T> | undefined;
  let module: T | undefined;
  const engine = () => (pending ??= load().then((m) => (module = m)));
  return Object.assign(engine, { loaded: () => module, started: () => pending !== undefined });
}

export const footprintEngine = lazyEngine(() => import('./core/footprint/index'));
export const tuningEngine = lazyEngine(() => import('./core/tuning/index'));
/** Headroom's own checks of tuning specs (they parse YAML, which is a large library). */
export const specChecks = lazyEngine(() => import('./core/specEditing/specChecks'));
/** The Python source analysis behind the inline hints and "New Tuning Spec" from a script (tree-sitter loads after it). */
export const hintsEngine = lazyEngine(() => import('./core/hints/index'));
/** Memory by owner: the process table crawler and its attribution, loaded when a crawl is first due. */
export const ownersEngine = lazyEngine(() => import('./core/monitor/ownersMonitor'));
/** "New Tuning Spec": the starter spec, and the spec and objective module for a script's own search. */
export const newSpecEngine = lazyEngine(() => import('./core/specEditing/newSpec'));
/** Installing and checking headroom_runtime in the user's interpreter. */
export const runtimeInstaller = lazyEngine(() => import('./core/runtime/install'));

/** Stops the footprint worker pool (every footprint scan's, tuning's data estimate included) if the engine was loaded. */
export async function closeFootprintEngine(): Promise<void> {
  if (footprintEngine.started()) await (await footprintEngine()).closeFootprintPool();
}

/** A FootprintError thrown by the footprint engine (only a loaded engine throws one). */
export function isFootprintError(error: unknown): error is InstanceType<FootprintEngine['FootprintError']> {
  const engine = footprintEngine.loaded();
  return engine !== undefined && error instanceof engine.FootprintError;
}
