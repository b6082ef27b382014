import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { analyzeTree, collectImports, getPythonParser, type SourceAnalysis } from '../../../src/core/hints';
import type { ImportTable } from '../../../src/core/hints';

let parser: Parser;
before(async () => {
  parser = await getPythonParser();
});
const analyze = (src: string, imports?: ImportTable): SourceAnalysis => analyzeTree(parser.parse(src)!, { imports });

describe('read call detection', () => {
  it('finds aliased, imported and multi-line calls, and nothing in comments or strings', () => {
    const src = [
      'import pandas as pd',
      'from pandas import read_csv as rc, read_parquet',
      '# df = pd.read_csv("commented.csv")',
      's = "pd.read_csv(\'in_a_string.csv\')"',
      'doc = """',
      'pd.read_csv("in_a_docstring.csv")',
      '"""',
      'a = pd.read_csv("data/a.csv")',
      'b = rc(',
      '    "data/b.csv",  # trailing comment',
      '    sep=";",',
      ')',
      'c = read_parquet(f"data/{\'c\'}.parquet")',
      'd = pandas.read_csv("not_imported_as_pandas.csv")',
    ].join('\n');
    const { reads } = analyze(src);
    assert.deepEqual(
      reads.map((r) => [r.fn, r.path, r.target]),
      [
        ['read_csv', 'data/a.csv', 'a'],
        ['read_csv', 'data/b.csv', 'b'],
        ['read_parquet', 'data/c.parquet', 'c'],
      ],
    );
    assert.equal(reads[1].read.sep, ';');
    assert.equal(src.slice(reads[0].calleeSpan.start, reads[0].calleeSpan.end), 'pd.read_csv');
  });

  it('ignores read_csv of other modules and shadowing names', () => {
    const src =
      'import polars as pd\nimport dask.dataframe as dd\nx = pd.read_csv("a.csv")\ny = dd.read_csv("b.csv")\n';
    assert.equal(analyze(src).reads.length, 0);
  });

  it('uses imports from earlier notebook cells', () => {
    const importCell = collectImports(parser.parse('import pandas as pd')!.rootNode);
    assert.equal(analyze('df = pd.read_csv("train.csv")').reads.length, 0);
    const { reads } = analyze('df = pd.read_csv("train.csv")', importCell);
    assert.equal(reads[0].path, 'train.csv');
  });

  it('evaluates literal paths: Path, Path / str, os.path.join, concatenation, raw strings', () => {
    const src = [
      'import os',
      'import pandas as pd',
      'from pathlib import Path',
      'import pathlib',
      'pd.read_csv(Path("data") / "x.csv")',
      'pd.read_csv(pathlib.Path("data", "y.csv"))',
      'pd.read_csv(os.path.join("data", "z.csv"))',
      'pd.read_csv("da" "ta/w.csv")',
      "pd.read_csv(r'C:\\data\\v.csv')",
      'pd.read_csv(filepath_or_buffer="kw.csv")',
      'pd.read_csv(f"data/{name}.csv")',
      'pd.read_csv(DATA_DIR / "x.csv")',
    ].join('\n');
    const { reads } = analyze(src);
    assert.deepEqual(
      reads.map((r) => r.path),
      ['data/x.csv', 'data/y.csv', 'data/z.csv', 'data/w.csv', 'C:\\data\\v.csv', 'kw.csv', null, null],
    );
    assert.match(reads[6].pathProblem!, /`name` is not assigned in this file/);
    assert.match(reads[7].pathProblem!, /`DATA_DIR` is not assigned in this file/);
  });

  it('extracts literal options and names everything else as not accounted for', () => {
    const src = [
      'import numpy as np',
      'import pandas as pd',
      'df = pd.read_csv(',
      '    "t.csv", sep="|", usecols=["a", "b", 3], nrows=1_000,',
      '    dtype={"a": np.int8, "b": "category", "c": float, "d": pd.Int16Dtype()},',
      '    parse_dates=["when"], compression="gzip", encoding="latin-1",',
      '    header=None, index_col="id", low_memory=True, memory_map=True, **extra)',
      't = pd.read_table("t.tsv", dtype=my_types, engine="python")',
    ].join('\n');
    const [csv, tsv] = analyze(src).reads;
    assert.deepEqual(csv.read, {
      sep: '|',
      usecols: ['a', 'b', 3],
      nrows: 1000,
      dtype: { a: 'int8', b: 'category', c: 'float64', d: 'Int16' },
      parseDates: ['when'],
      compression: 'gzip',
      encoding: 'latin-1',
    });
    assert.deepEqual(csv.unaccounted, ['header=None', 'index_col="id"', '**extra']);
    assert.deepEqual(tsv.read, { sep: '\t' });
    assert.deepEqual(tsv.unaccounted, ['dtype=my_types', 'engine="python"']);
  });

  it('survives syntax errors elsewhere in the file', () => {
    const src = 'import pandas as pd\ndef broken(:\n    pass\ndf = pd.read_csv("ok.csv")\n';
    assert.deepEqual(
      analyze(src).reads.map((r) => r.path),
      ['ok.csv'],
    );
  });
});

describe('parallel call detection', () => {
  it('finds searches, cross-validation, forests, neighbors and joblib with their n_jobs and cv', () => {
    const src = [
      'from joblib import Parallel, delayed',
      'from sklearn.model_selection import GridSearchCV, cross_val_score',
      'from sklearn.ensemble import RandomForestClassifier',
      'import sklearn.neighbors as nb',
      'g = GridSearchCV(LogisticRegression(), grid, cv=3, n_jobs=-1)',
      's = cross_val_score(model, X, y, cv=4, n_jobs=2)',
      'k = nb.KNeighborsClassifier(n_jobs=4)',
      'r = Parallel(n_jobs=3)(delayed(f)(i) for i in range(9))',
      'q = GridSearchCV(model, grid, n_jobs=N_JOBS, cv=folds)',
    ].join('\n');
    const { parallel } = analyze(src);
    assert.deepEqual(
      parallel.map((p) => [p.kind, p.name, p.nJobs?.value, p.cv, p.cvLiteral]),
      [
        ['search', 'GridSearchCV', -1, 3, true],
        ['cross-validation', 'cross_val_score', 2, 4, true],
        ['neighbors', 'KNeighborsClassifier', 4, undefined, true],
        ['joblib', 'Parallel', 3, undefined, true],
        ['search', 'GridSearchCV', undefined, undefined, false],
      ],
    );
  });

  it('links parallel estimators nested in a search, directly, in a pipeline or through a variable', () => {
    const src = [
      'rf = RandomForestClassifier(n_jobs=-1)',
      'a = GridSearchCV(rf, grid, n_jobs=-1)',
      'b = RandomizedSearchCV(make_pipeline(StandardScaler(), ExtraTreesRegressor(n_jobs=4)), d, n_jobs=2)',
      'c = GridSearchCV(RandomForestClassifier(n_jobs=1), grid, n_jobs=-1)',
    ].join('\n');
    const searches = analyze(src).parallel.filter((p) => p.kind === 'search');
    assert.deepEqual(
      searches.map((s) => s.inner.map((i) => `${i.name}:${i.nJobs?.value}`)),
      [['RandomForestClassifier:-1'], ['ExtraTreesRegressor:4'], []],
    );
  });

  it('notices when data goes to estimators as numpy arrays', () => {
    assert.equal(analyze('X = df.drop(columns="y").to_numpy()').usesNumpyArrays, true);
    assert.equal(analyze('X = df.drop(columns="y")').usesNumpyArrays, false);
  });
});
