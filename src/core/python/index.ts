export { probePython, clearPythonCache, killPythonProbes, PythonError, type PythonProbe } from './interpreter';
export {
  resolvePandasModel,
  applyOverrides,
  defaultModel,
  describeModel,
  majorMinor,
  type ModelOverrides,
  type ModelResolution,
} from './pandasModel';
