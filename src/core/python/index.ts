export { probePython, clearPythonCache, killPythonProbes, PythonError, type PythonProbe } from './interpreter';
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
