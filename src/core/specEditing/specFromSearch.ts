/**
 * "New Tuning Spec" for a script that runs its own scikit-learn search: a spec holding that search's
 * space, metric and data file, and an objective module that wraps the script unchanged. Each worker
 * runs the script once up to the search's `fit(X, y)` and keeps what the search was handed (estimator,
 * X, y, cv, scoring); each trial then cross-validates with its params exactly as the search scores
 * one candidate, so the run finds the search's own best params.
 */
// From the hints engine's entry: its bundle (dist/lazy-hints.js) owns searchCall, this one reuses it.
import { defaultMetric, type SearchCall, type SearchParam } from '../hints';
import type { StarterSpec } from './specTemplate';

export interface SearchSpecInput {
  /** The script, e.g. "train.py" (spec and module are written next to it). */
  fileName: string;
  search: SearchCall;
  /** 1-based line of the search call, for the comments. */
  line: number;
  /** The data file the script reads, relative to the script's folder, when known. */
  dataPath?: string;
  /** Module name to write (without .py); default `<script>_objective`. */
  moduleName?: string;
}

export interface SearchSpec extends StarterSpec {
  module: { fileName: string; text: string };
}

const yamlKey = (name: string) => (/^[A-Za-z_][\w.-]*$/.test(name) ? name : JSON.stringify(name));

function yamlNumber(n: number, float: boolean): string {
  const text = String(n);
  return float && Number.isInteger(n) && !/e/i.test(text) ? `${text}.0` : text;
}

function yamlParam(p: SearchParam): string {
  switch (p.kind) {
    case 'values':
      return `[${p.values
        .map((v, i) =>
          v === null
            ? 'null'
            : typeof v === 'number'
              ? yamlNumber(v, p.floats.includes(i))
              : typeof v === 'boolean'
                ? String(v)
                : JSON.stringify(v),
        )
        .join(', ')}]`;
    case 'int':
      return `{ int: [${p.low}, ${p.high}] }`;
    case 'uniform':
    case 'loguniform':
      return `{ ${p.kind}: [${yamlNumber(p.low, true)}, ${yamlNumber(p.high, true)}] }`;
  }
}

const pyString = (s: string) => JSON.stringify(s);

export function specFromSearch(input: SearchSpecInput): SearchSpec {
  const { search } = input;
  const base = input.fileName.replace(/\.py$/i, '');
  const moduleName = input.moduleName ?? `${base.replace(/\W/g, '_')}_objective`;
  const metric = search.scoring ?? search.refit ?? defaultMetric(search.finalClass ?? search.estimatorClass);
  const halving = search.kind.startsWith('halving');
  const random = search.kind === 'random' || search.kind === 'halving-random';
  const ranges = Object.values(search.params).some((p) => p.kind !== 'values');
  const what = `${search.className}(${search.estimatorText}, ...)`;
  const cvWords =
    search.cv !== undefined ? `cv=${search.cv}` : search.cvText ? `cv=${search.cvText}` : 'cv=5 (the default)';
  const scoringWords = search.scoring
    ? `scoring=${pyString(search.scoring)}`
    : search.scoringText
      ? `scoring=${search.scoringText}`
      : `the estimator's own score (${metric})`;
  const lines: string[] = [
    `# Headroom tuning spec for ${input.fileName}, read from its ${what} on line ${input.line}.`,
    '# Run it with "Headroom: Start Tuning Run" or the Run link above. Hover a field for what it means;',
    '# Ctrl+Space lists the fields and their values.',
    `name: ${base}`,
    '',
    `# Objective mode: ${moduleName}.py runs ${input.fileName} once per worker process, up to its`,
    `# ${search.className}(...).fit(X, y), then scores each trial's params by cross-validation exactly as`,
    `# ${search.className} scores one candidate (${cvWords}, ${scoringWords}). Read and edit it freely.`,
    `objective: ${moduleName}:objective`,
    '',
  ];
  if (search.problems.length) {
    lines.push(`# Not read from ${input.fileName} (fill in by hand):`);
    for (const p of search.problems) lines.push(`#   - ${p}`);
    lines.push('');
  }
  if (halving) {
    lines.push('# halving: successive halving over the data fraction, like the halving search (resource=n_samples).');
    lines.push('search: halving');
    if (search.factor !== undefined && search.factor !== 3) lines.push(`factor: ${search.factor}`);
    if (ranges) lines.push(`trials: ${search.nIter ?? 20}`);
  } else if (random || ranges) {
    lines.push(`search: random`);
    lines.push(
      `trials: ${search.nIter ?? 10}   # n_iter${search.nIter === undefined ? " (scikit-learn's default)" : ''}`,
    );
    if (search.randomState !== undefined && search.randomState >= 0) lines.push(`seed: ${search.randomState}`);
  } else {
    lines.push('# grid: every combination, in the order GridSearchCV tries them (ties go to the first).');
    lines.push('search: grid');
  }
  lines.push(`metric: ${metric}   # scikit-learn scores are greater-is-better (neg_* included)`, 'mode: max');
  if (!moduleNameOf(input.fileName)) {
    lines.push(
      `cache: false   # ${input.fileName} is not importable by name, so the cache could not tell when it changes`,
    );
  }
  if (input.dataPath)
    lines.push(`data: ${/^[\w.][\w./-]*$/.test(input.dataPath) ? input.dataPath : JSON.stringify(input.dataPath)}`);
  lines.push('');
  const names = Object.keys(search.params);
  if (names.length) {
    lines.push('params:');
    for (const name of names) lines.push(`  ${yamlKey(name)}: ${yamlParam(search.params[name])}`);
  } else {
    lines.push(`params: {}   # the search space of ${input.fileName} could not be read: list the values to try here`);
  }
  lines.push(
    '',
    '# How many trials run at once follows free CPU and memory; these bound it.',
    'resources:',
    '  workers: auto          # or a number',
    '  threadsPerTrial: 1     # BLAS/OpenMP threads per trial (workers x threads never exceed the cores)',
    '  memoryPerTrial: auto   # or e.g. 2GB: what one trial needs; auto measures the first trials',
    '',
  );
  const floats = Object.entries(search.params)
    .filter(([, p]) => p.kind === 'values' && p.floats.length > 0)
    .map(([name]) => name);
  return {
    fileName: `${base}.tune.yaml`,
    mode: 'objective',
    text: lines.join('\n'),
    module: { fileName: `${moduleName}.py`, text: objectiveModule(input, metric, floats, halving) },
  };
}

/** A Python module name the script can be imported as (so the trial cache can follow it), if any. */
const moduleNameOf = (fileName: string): string | undefined => {
  const base = fileName.replace(/\.py$/i, '');
  return /^[A-Za-z_]\w*$/.test(base) ? base : undefined;
};

/**
 * The trial cache keys trials by the objective module and the workspace modules it imports (read
 * from its import lines); the script is run, not imported, so an import that never runs names it.
 */
function cacheLink(fileName: string): string {
  const name = moduleNameOf(fileName);
  if (!name) return '';
  return `if False:  # never runs: names ${fileName} for Headroom's trial cache, so editing it reruns the trials
    import ${name}  # noqa: F401
`;
}

function objectiveModule(input: SearchSpecInput, metric: string, floats: string[], halving: boolean): string {
  const { search } = input;
  const floatFix = floats.length
    ? `
# Written as floats in ${input.fileName} (1.0 is not 1 to scikit-learn); the spec's JSON params lose that.
FLOAT_PARAMS = {${floats.map(pyString).join(', ')}}
`
    : '';
  const floatApply = floats.length
    ? `    params = {k: float(v) if k in FLOAT_PARAMS and type(v) is int else v for k, v in params.items()}\n`
    : '';
  return `"""Headroom objective for ${input.fileName}, written by "New Tuning Spec" from its ${search.className}.

Each worker process runs ${input.fileName} once, as \`python ${input.fileName}\` would, up to the point where it
calls ${search.className}(...).fit(X, y); there it stops and keeps what the search was handed: the
estimator, X, y, cv and scoring. Each trial then clones the estimator, sets that trial's params and
cross-validates it, as ${search.className} scores one candidate, so the best params are the ones the
search itself would pick. The search's own n_jobs is not used: Headroom runs trials side by side.

This file is yours to read and edit ("New Tuning Spec" never overwrites it).
"""
import runpy
import sys
from pathlib import Path

import headroom_runtime as hr
${halving ? 'import sklearn.experimental.enable_halving_search_cv  # noqa: F401 (makes the halving searches importable)\n' : ''}import sklearn.model_selection
import sklearn.model_selection._search
from sklearn.base import clone
from sklearn.model_selection import cross_val_score

SCRIPT = Path(__file__).with_name(${pyString(input.fileName)})
${cacheLink(input.fileName)}
SEARCH_CLASS = ${pyString(search.className)}
METRIC = ${pyString(metric)}


class _Captured(BaseException):
    """Stops the script at the search's fit (a BaseException: \`except Exception\` in the script won't catch it)."""


def _capture():
    """Runs SCRIPT until its search is fitted; returns the search and the fit's arguments."""
    seen = {}
    modules = [m for m in (sklearn.model_selection, sklearn.model_selection._search) if hasattr(m, SEARCH_CLASS)]
    original = getattr(modules[0], SEARCH_CLASS)

    class Capture(original):
        def fit(self, X, y=None, **fit_params):
            seen.update(search=self, X=X, y=y, fit_params=fit_params)
            raise _Captured()

    Capture.__name__ = original.__name__
    for module in modules:
        setattr(module, SEARCH_CLASS, Capture)
    argv, path0 = sys.argv, sys.path[0] if sys.path else None
    sys.argv = [str(SCRIPT)]
    sys.path.insert(0, str(SCRIPT.parent))
    try:
        runpy.run_path(str(SCRIPT), run_name="__main__")
    except _Captured:
        pass
    finally:
        for module in modules:
            setattr(module, SEARCH_CLASS, original)
        sys.argv = argv
        if sys.path and sys.path[0] == str(SCRIPT.parent) and path0 != sys.path[0]:
            sys.path.pop(0)
    if not seen:
        raise RuntimeError(f"{SCRIPT.name} ran to its end without calling {SEARCH_CLASS}(...).fit(...)")
    return seen


_CAPTURED = _capture()
SEARCH = _CAPTURED["search"]
ESTIMATOR = SEARCH.estimator
X_ALL, Y_ALL = _CAPTURED["X"], _CAPTURED["y"]
FIT_PARAMS = dict(_CAPTURED["fit_params"])
GROUPS = FIT_PARAMS.pop("groups", None)
CV = SEARCH.cv  # as in ${input.fileName}: ${search.cv ?? search.cvText ?? 'None (5 folds)'}
# As in ${input.fileName}; with several scorers, the one the search picks its best params by (refit).
SCORING = SEARCH.refit if isinstance(SEARCH.scoring, (list, tuple, set, dict)) else SEARCH.scoring
${floatFix}

def objective(params):
${floatApply}    if Y_ALL is None:
        X, y = hr.subsample(X_ALL), None
    else:
        X, y = hr.subsample(X_ALL, Y_ALL)  # all rows, unless the spec's sample: or a halving rung says less
    groups = GROUPS if len(X) == len(X_ALL) else None
    model = clone(ESTIMATOR).set_params(**params)
    extra = {"params": FIT_PARAMS} if FIT_PARAMS else {}
    scores = cross_val_score(model, X, y, groups=groups, cv=CV, scoring=SCORING, **extra)
    return {METRIC: float(scores.mean())}
`;
}
