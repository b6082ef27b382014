import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { analyzeTree, forecastParallel, frameFacts, getPythonParser, nJobsWarning } from '../../../src/core/hints';
import { wrapInHeadroomParallel, type TextEdit } from '../../../src/core/runtime/wrapFit';

let parser: Parser;
before(async () => {
  parser = await getPythonParser();
});

const first = (src: string) => {
  const [call] = analyzeTree(parser.parse(src)!).parallel;
  assert.ok(call, 'a parallel call was detected');
  return call;
};

/** A 2 GiB frame and 1 GiB available: n_jobs=512 does not fit. */
function warning(src: string): string | undefined {
  const call = first(src);
  const frame = frameFacts({
    totalBytes: 2 * 2 ** 30,
    rows: 1_000_000,
    indexBytes: 0,
    columns: [{ name: 'a', dtype: 'float64', bytes: 2 * 2 ** 30 } as never],
  });
  return nJobsWarning(call, forecastParallel(call, frame, { cpus: 8, availableBytes: 2 ** 30 }));
}

const apply = (text: string, edits: TextEdit[]) =>
  [...edits].sort((a, b) => b.start - a.start).reduce((t, e) => t.slice(0, e.start) + e.newText + t.slice(e.end), text);

const script = [
  'import pandas as pd',
  'from sklearn.linear_model import Ridge',
  'from sklearn.model_selection import GridSearchCV',
  '',
  'df = pd.read_csv("data/sales.csv")',
  'search = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0]}, cv=5, n_jobs=512)',
  'search.fit(df, df["spend"])',
  '',
].join('\n');

describe('the n_jobs warning once the work runs on the headroom backend', () => {
  it('is gone after the "Run memory-aware with Headroom" fix, as that fix writes it', () => {
    assert.match(warning(script) ?? '', /GridSearchCV with 512 workers may peak/);
    const edits = wrapInHeadroomParallel(script, first(script));
    assert.ok(edits);
    const fixed = apply(script, edits);
    assert.match(fixed, /\nwith hr\.parallel\(\):\n {4}search\.fit\(df, df\["spend"\]\)\n/);
    assert.equal(first(fixed).onHeadroom, true);
    assert.equal(warning(fixed), undefined);
    assert.equal(wrapInHeadroomParallel(fixed, first(fixed)), null, 'and the fix is not offered again');
  });

  it("knows joblib's own ways to pick the backend, aliases, and `as` targets", () => {
    const cases = [
      'import headroom_runtime as h\nwith h.parallel(memory_budget="2G") as backend:\n    search.fit(X, y)',
      'from headroom_runtime import parallel\nwith parallel():\n    search.fit(X, y)',
      'import joblib\nwith joblib.parallel_backend("headroom"):\n    search.fit(X, y)',
      'from joblib import parallel_config as pc\nwith pc(backend="headroom", n_jobs=4):\n    search.fit(X, y)',
      'import headroom_runtime as hr\nwith open("log") as f, hr.parallel():\n    for i in range(3):\n        search.fit(X, y)',
    ];
    for (const head of cases) {
      const src = `from sklearn.model_selection import GridSearchCV\nsearch = GridSearchCV(m, g, n_jobs=-1)\n${head}\n`;
      assert.equal(first(src).onHeadroom, true, head);
    }
    const chained =
      'import headroom_runtime as hr\nfrom sklearn.model_selection import cross_validate, GridSearchCV\nwith hr.parallel():\n    GridSearchCV(m, g, n_jobs=-1).fit(X, y)\n    cross_validate(m, X, y, n_jobs=-1)\n';
    assert.deepEqual(
      analyzeTree(parser.parse(chained)!).parallel.map((p) => p.onHeadroom),
      [true, true],
    );
  });

  it('stays where any fit runs elsewhere, or the backend is another one', () => {
    const cases = [
      // One fit inside, one outside.
      'import headroom_runtime as hr\nwith hr.parallel():\n    search.fit(X, y)\nsearch.fit(X2, y2)',
      'import joblib\nwith joblib.parallel_backend("loky"):\n    search.fit(X, y)',
      'from joblib import parallel_config\nwith parallel_config(backend="threading"):\n    search.fit(X, y)',
      // Not the runtime's parallel().
      'import other as hr\nwith hr.parallel():\n    search.fit(X, y)',
      // The fit in the `with` item, not its body.
      'import headroom_runtime as hr\nwith hr.parallel(search.fit(X, y)):\n    pass',
      // No fit in this source.
      'import headroom_runtime as hr\nwith hr.parallel():\n    pass',
    ];
    for (const tail of cases) {
      const src = `from sklearn.model_selection import GridSearchCV\nsearch = GridSearchCV(m, g, n_jobs=512)\n${tail}\n`;
      assert.equal(first(src).onHeadroom, undefined, tail);
      assert.match(warning(src) ?? '', /may peak/, tail);
    }
  });
});
