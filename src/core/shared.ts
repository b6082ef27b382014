/**
 * The engine modules both the extension host's glue and the lazy engine bundles use at run time,
 * built once into dist/core-shared.js, which the extension bundle loads at activation and the lazy
 * bundles require from there: one copy of each in the extension host, so one run registry
 * (runStore's activeRuns), one Python probe cache, one FootprintError-free set of helpers.
 * scripts/bundles.mjs reads the `export *` lines below: every module listed here is owned by
 * dist/core-shared.js and an import of it from any other host bundle is left to that file.
 * Keep it to small modules the glue needs at once; the heavy engines stay lazy (src/lazyEngines.ts).
 */
export * from './distDir';
export * from './fileKinds';
export * from './format';
export * from './monitor/cgroup';
export * from './footprint/pandasSizes';
export * from './footprint/snippetImports';
export * from './python/index';
export * from './python/choice';
export * from './python/interpreter';
export * from './python/pandasModel';
export * from './runView/usage';
export * from './tuning/jsonLines';
export * from './tuning/processTree';
export * from './tuning/runLog';
export * from './tuning/runStore';
export * from './tuning/runTimeline';
