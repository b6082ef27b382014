/** The tuning engine: start, watch, stop and resume hyperparameter searches over the user's Python code. */
export {
  startRun,
  resumeRun,
  listRuns,
  readRun,
  deleteRun,
  findWorkspace,
  locateDist,
  checkPython,
  TuningError,
  UsageError,
} from './engine';
export type { EngineOptions, RunHandle, RunDetails, RunSnapshot } from './engine';
export { loadSpec, parseSpec, SpecError, SPEC_FILE } from './spec';
export type { PythonChoice, SpecIssue } from './spec';
export type { ResolvedSpec, Distribution } from './types';
export { plannedTotal } from './searchSpace';
export { specDifferences } from './specDiff';
