/** The hints engine: find dataset reads and parallel calls in Python, size them, forecast, fix. */
export * from './types';
export { getPythonParser, loadedPythonParser, locateWasm, type TextChange } from './parser';
export { analyzeTree, type AnalyzeOptions } from './detect';
export { evalReadPath, joinPath, type PathContext, type ReadPath } from './pathValue';
export { bindingOf, type Binding } from './scope';
export { collectImports, emptyImports, mergeImports } from './imports';
export { resolveDataPath, type Resolution, type ResolveInput, type SourceKind } from './resolve';
export * from './forecast';
export * from './edits';
export * from './text';
export { AnalysisCache } from './cache';
export { callSiteKey } from './callSite';
export { defaultMetric, findSearches, type SearchCall, type SearchKind, type SearchParam } from './searchCall';
// The quick fix that puts a parallel call on Headroom's backend: it edits what the hints found.
export { wrapInHeadroomParallel } from '../runtime/wrapFit';
