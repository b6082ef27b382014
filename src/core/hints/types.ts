/**
 * What the hints engine finds in a Python source: dataset reads it can size and parallel calls whose
 * memory it can forecast. Offsets are UTF-16 code units into the source text (what VS Code's
 * `document.positionAt` takes), so the glue converts them without re-reading the text.
 */
import type { ReadOptions } from '../footprint/types';

export interface Span {
  start: number;
  end: number;
}

export type ReadFunction = 'read_csv' | 'read_table' | 'read_parquet';

/** A keyword argument as written, for quick fixes that merge rather than duplicate. */
export interface KeywordArg {
  name: string;
  /** `name=value`, the whole argument. */
  span: Span;
  valueSpan: Span;
  /** The evaluated literal, or undefined when the value is not a literal. */
  value: LiteralValue | undefined;
}

export type LiteralValue =
  | string
  | number
  | boolean
  | null
  | LiteralValue[]
  | { readonly dict: ReadonlyArray<readonly [LiteralValue, LiteralValue]> };

export interface ReadCall {
  fn: ReadFunction;
  /** The whole call, `pd.read_csv(...)`. */
  span: Span;
  /** The callee, `pd.read_csv`, where hints and diagnostics anchor. */
  calleeSpan: Span;
  /** `(...)`, parentheses included. */
  argsSpan: Span;
  /** The path, worked out statically (literals, constants, `__file__`...), or null when unknown. */
  path: string | null;
  /** 'script-dir': `path` is relative to the script's own folder (built from `__file__`). */
  pathAnchor?: 'script-dir';
  /** The path is a remote URL (known or only its start): nothing local to size. */
  remote?: boolean;
  pathSpan: Span | null;
  /** Why there is no path (e.g. "the path is the variable `p`"), when path is null. */
  pathProblem?: string;
  /** The literal arguments that change the frame, as the footprint engine takes them. */
  read: ReadOptions;
  /** Arguments the estimate does not account for, as written (`header=None`, `index_col`, `**kw`). */
  unaccounted: string[];
  keywords: KeywordArg[];
  positionalCount: number;
  /** End of the last argument (comments excluded), where new keywords go. */
  lastArgEnd: number;
  /** Every argument as written, in order (for re-laying out a call that grows too long). */
  argSpans: Span[];
  /** `df` in `df = pd.read_csv(...)`, when the call is assigned to a plain name. */
  target?: string;
}

export type ParallelKind = 'search' | 'cross-validation' | 'forest' | 'neighbors' | 'joblib';

export interface NJobsArg {
  /** The literal value (None -> null); undefined when not a literal. */
  value: number | null | undefined;
  /** `n_jobs=...`, whole keyword argument. */
  span: Span;
  valueSpan: Span;
}

export interface ParallelCall {
  kind: ParallelKind;
  /** Class or function name as written last, e.g. `GridSearchCV`, `Parallel`. */
  name: string;
  span: Span;
  calleeSpan: Span;
  argsSpan: Span;
  /** Undefined when n_jobs is not passed (joblib's default: one worker). */
  nJobs?: NJobsArg;
  /** Literal `cv=` folds; undefined when absent (scikit-learn's default is 5) or not an int. */
  cv?: number;
  cvLiteral: boolean;
  /** Parallel estimators passed into this call (directly, in a Pipeline, or through a variable). */
  inner: ParallelCall[];
  /**
   * Set (true) when the call's work runs inside `with hr.parallel():` or joblib's "headroom" backend:
   * Headroom admits its tasks by memory there, so its n_jobs needs no memory warning.
   */
  onHeadroom?: true;
}

export interface SourceAnalysis {
  reads: ReadCall[];
  parallel: ParallelCall[];
  /** Whether the data reaches estimators as numpy arrays (`.to_numpy()`, `.values`, `np.asarray`). */
  usesNumpyArrays: boolean;
  /** Names bound to the pandas module / its read functions (for notebook cells that import elsewhere). */
  imports: ImportTable;
  /** Module-level names whose str/path value is known, for the notebook cells after this one. */
  constants: Record<string, PathConstant | null>;
}

/** A module-level str or pathlib value known statically (text may hold the `__file__` markers). */
export interface PathConstant {
  text: string;
  path: boolean;
}

export interface ImportTable {
  /** Names bound to the pandas module (`pd`, `pandas`). */
  pandasModules: string[];
  /** Local name -> pandas read function (`from pandas import read_csv as rc`). */
  readFunctions: Record<string, ReadFunction>;
  /** Names bound to joblib's Parallel (`Parallel`, `joblib.Parallel` via module alias). */
  joblibModules: string[];
  joblibParallel: string[];
  /** Names bound to joblib's parallel_backend / parallel_config (`from joblib import parallel_config`). */
  joblibBackends: string[];
  /** Names bound to the headroom_runtime module (`hr`), and to its parallel() (`from headroom_runtime import parallel`). */
  headroomModules: string[];
  headroomParallel: string[];
  /** Names bound to pathlib.Path / pathlib module, os.path, for literal paths. */
  pathClasses: string[];
  pathlibModules: string[];
  osModules: string[];
  osPathModules: string[];
  numpyModules: string[];
}
