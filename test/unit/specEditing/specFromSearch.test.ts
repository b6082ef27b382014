import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { parse } from 'yaml';
import { findSearches, getPythonParser, type SearchCall } from '../../../src/core/hints';
import { specFromSearch } from '../../../src/core/specEditing/specFromSearch';
import { localModules } from '../../../src/core/tuning/localModules';
import { parseSpec } from '../../../src/core/tuning/spec';

let parser: Parser;
before(async () => {
  parser = await getPythonParser();
});
const searches = (src: string): SearchCall[] => findSearches(parser.parse(src)!);

const SCRIPT = `import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV

df = pd.read_csv("data.csv")
grid = {"n_estimators": [10, 30], "max_depth": [None, 3, 6], "max_features": [0.5, 1.0, "sqrt"]}
search = GridSearchCV(RandomForestClassifier(random_state=0), grid, cv=5, n_jobs=-1, scoring="f1_macro")
search.fit(df.drop(columns="y"), df["y"])
print(search.best_params_)
`;

describe('reading a script’s search', () => {
  it('GridSearchCV: estimator, grid through a variable, cv, scoring; None and 1.0 kept as such', () => {
    const [s] = searches(SCRIPT);
    assert.equal(s.className, 'GridSearchCV');
    assert.equal(s.estimatorClass, 'RandomForestClassifier');
    assert.equal(s.cv, 5);
    assert.equal(s.scoring, 'f1_macro');
    assert.deepEqual(s.params, {
      n_estimators: { kind: 'values', values: [10, 30], floats: [] },
      max_depth: { kind: 'values', values: [null, 3, 6], floats: [] },
      max_features: { kind: 'values', values: [0.5, 1, 'sqrt'], floats: [1] },
    });
    assert.deepEqual(s.problems, []);
  });

  it('RandomizedSearchCV with scipy distributions, range(), n_iter and random_state', () => {
    const [s] = searches(`from scipy.stats import randint, uniform, loguniform
from sklearn.model_selection import RandomizedSearchCV
from sklearn.linear_model import LogisticRegression
space = dict(C=loguniform(1e-3, 1e2), l1_ratio=uniform(0.2, 0.5), max_iter=randint(100, 500), tol=list(range(1, 4)))
RandomizedSearchCV(LogisticRegression(), space, n_iter=25, random_state=7)
`);
    assert.equal(s.kind, 'random');
    assert.deepEqual(s.params, {
      C: { kind: 'loguniform', low: 1e-3, high: 1e2 },
      l1_ratio: { kind: 'uniform', low: 0.2, high: 0.7 },
      max_iter: { kind: 'int', low: 100, high: 499 },
      tol: { kind: 'values', values: [1, 2, 3], floats: [] },
    });
    assert.deepEqual([s.nIter, s.randomState, s.scoring, s.estimatorClass], [25, 7, null, 'LogisticRegression']);
  });

  it('a pipeline’s last step decides the default metric; unreadable parts are named', () => {
    const [s] = searches(`from sklearn.pipeline import Pipeline
model = Pipeline([("prep", prep), ("clf", HistGradientBoostingRegressor())])
GridSearchCV(model, {"clf__max_iter": [100, 200], "clf__loss": LOSSES, "clf__x": [f(1)]}, cv=KFold(3))
`);
    assert.deepEqual(
      [s.estimatorClass, s.finalClass, s.cvText],
      ['Pipeline', 'HistGradientBoostingRegressor', 'KFold(3)'],
    );
    assert.deepEqual(Object.keys(s.params), ['clf__max_iter']);
    assert.equal(s.problems.length, 2);
    assert.match(s.problems.join('\n'), /'clf__loss': `LOSSES`/);
    assert.match(s.problems.join('\n'), /'clf__x': the value `f\(1\)`/);
    const spec = specFromSearch({ fileName: 'fit.py', search: s, line: 3 });
    assert.match(spec.text, /metric: r2 /);
    assert.match(spec.text, /# Not read from fit\.py/);
  });
});

describe('the spec and objective module written from it', () => {
  it('is a valid objective-mode spec with the same grid, metric and data file', () => {
    const [s] = searches(SCRIPT);
    const out = specFromSearch({ fileName: 'train.py', search: s, line: 7, dataPath: 'data.csv' });
    assert.equal(out.fileName, 'train.tune.yaml');
    assert.equal(out.module.fileName, 'train_objective.py');
    const raw = parse(out.text) as Record<string, unknown>;
    assert.deepEqual(raw.params, {
      n_estimators: [10, 30],
      max_depth: [null, 3, 6],
      max_features: [0.5, 1, 'sqrt'],
    });
    assert.match(out.text, /max_features: \[0\.5, 1\.0, "sqrt"\]/);
    assert.deepEqual(
      [raw.objective, raw.search, raw.metric, raw.mode, raw.data],
      ['train_objective:objective', 'grid', 'f1_macro', 'max', 'data.csv'],
    );
    // Valid for the engine once the files it names are there.
    const dir = mkdtempSync(join(tmpdir(), 'spec-from-search-'));
    try {
      for (const [name, text] of [
        ['train.py', SCRIPT],
        ['data.csv', 'a,y\n1,0\n'],
        [out.module.fileName, out.module.text],
        [out.fileName, out.text],
      ])
        writeFileSync(join(dir, name), text);
      const spec = parseSpec(out.text, join(dir, out.fileName));
      // The trial cache follows train.py (the module runs it, and names it for the cache).
      assert.ok(localModules(join(dir, out.module.fileName), [dir]).includes(join(dir, 'train.py')));
      assert.deepEqual(
        [spec.kind, spec.objective, spec.data],
        ['objective', { module: 'train_objective', func: 'objective' }, join(dir, 'data.csv')],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.match(out.module.text, /SCRIPT = Path\(__file__\)\.with_name\("train\.py"\)/);
    assert.match(out.module.text, /SEARCH_CLASS = "GridSearchCV"/);
    assert.match(out.module.text, /FLOAT_PARAMS = \{"max_features"\}/);
    assert.doesNotMatch(out.module.text, /enable_halving_search_cv/);
  });

  it('random search: trials from n_iter, seed from random_state; halving searches use halving', () => {
    const random = specFromSearch({
      fileName: 'r.py',
      line: 1,
      search: searches('RandomizedSearchCV(SVC(), {"C": loguniform(0.01, 10)}, n_iter=30, random_state=3)')[0],
    });
    const r = parse(random.text) as Record<string, unknown>;
    assert.deepEqual(
      [r.search, r.trials, r.seed, r.metric, r.params],
      ['random', 30, 3, 'accuracy', { C: { loguniform: [0.01, 10] } }],
    );
    const halving = specFromSearch({
      fileName: 'h.py',
      line: 1,
      search: searches('HalvingGridSearchCV(RandomForestRegressor(), {"max_depth": [2, 4]}, factor=2)')[0],
    });
    const h = parse(halving.text) as Record<string, unknown>;
    assert.deepEqual([h.search, h.factor, h.metric], ['halving', 2, 'r2']);
    assert.match(halving.module.text, /import sklearn\.experimental\.enable_halving_search_cv/);
    // A script that cannot be imported by name: no import line for the cache, and the cache is off.
    assert.match(halving.module.text, /^ {4}import h {2}# noqa/m);
    const dashed = specFromSearch({ fileName: 'my-train.py', line: 1, search: searches(SCRIPT)[0] });
    assert.match(dashed.text, /^cache: false /m);
    assert.doesNotMatch(dashed.module.text, /import my-train/);
  });
});
