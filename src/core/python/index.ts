export {
  probePython,
  clearPythonCache,
  killPythonProbes,
  PythonError,
  type ProbeOptions,
  type PythonProbe,
} from './interpreter';
export { headroomCacheDir } from './probeCache';
export {
  resolvePandasModel,
  probedModel,
  applyOverrides,
  defaultModel,
  describeModel,
  majorMinor,
  type ModelOverrides,
  type ModelResolution,
} from './pandasModel';
export { discoverPython, type FoundPython } from './discover';
export {
  choosePython,
  describePythonSource,
  DEFAULT_PYTHON,
  type ChosenPython,
  type PythonChoice,
  type PythonSource,
} from './choice';
