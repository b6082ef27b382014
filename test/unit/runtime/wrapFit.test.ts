import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import { analyzeTree, getPythonParser } from '../../../src/core/hints';
import { wrapInHeadroomParallel, type TextEdit } from '../../../src/core/runtime/wrapFit';

let parser: Parser;
before(async () => {
  parser = await getPythonParser();
});

function apply(text: string, edits: TextEdit[]): string {
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}

/** The quick fix's result on the first parallel call of `src`, or null when it is not offered. */
function fix(src: string): string | null {
  const [call] = analyzeTree(parser.parse(src)!).parallel;
  assert.ok(call, 'a parallel call was detected');
  const edits = wrapInHeadroomParallel(src, call);
  return edits && apply(src, edits);
}

describe('Run memory-aware with Headroom: wrapping the fit', () => {
  it("wraps the search variable's multi-line .fit(...) and adds the import after the imports", () => {
    const src = [
      '"""Doc."""',
      'from sklearn.model_selection import GridSearchCV',
      'import numpy as np',
      '',
      'def main(X, y):',
      '    search = GridSearchCV(model, grid, n_jobs=-1)',
      '    search.fit(',
      '        X,  # features',
      '        y,',
      '    )',
      '    return search',
      '',
    ].join('\n');
    assert.equal(
      fix(src),
      [
        '"""Doc."""',
        'from sklearn.model_selection import GridSearchCV',
        'import numpy as np',
        'import headroom_runtime as hr',
        '',
        'def main(X, y):',
        '    search = GridSearchCV(model, grid, n_jobs=-1)',
        '    with hr.parallel():',
        '        search.fit(',
        '            X,  # features',
        '            y,',
        '        )',
        '    return search',
        '',
      ].join('\n'),
    );
  });

  it('wraps a chained .fit, cross_validate and joblib.Parallel calls where they stand; reuses an existing import', () => {
    assert.equal(
      fix(
        'import headroom_runtime as h\nfrom sklearn.model_selection import GridSearchCV\nbest = GridSearchCV(m, g, n_jobs=-1).fit(X, y)\n',
      ),
      'import headroom_runtime as h\nfrom sklearn.model_selection import GridSearchCV\nwith h.parallel():\n    best = GridSearchCV(m, g, n_jobs=-1).fit(X, y)\n',
    );
    assert.equal(
      fix('from sklearn.model_selection import cross_validate\nr = cross_validate(m, X, y, cv=5, n_jobs=-1)\n'),
      'from sklearn.model_selection import cross_validate\nimport headroom_runtime as hr\nwith hr.parallel():\n    r = cross_validate(m, X, y, cv=5, n_jobs=-1)\n',
    );
    assert.equal(
      fix('from joblib import Parallel, delayed\nout = Parallel(n_jobs=-1)(\n    delayed(f)(i) for i in range(9)\n)\n'),
      'from joblib import Parallel, delayed\nimport headroom_runtime as hr\nwith hr.parallel():\n    out = Parallel(n_jobs=-1)(\n        delayed(f)(i) for i in range(9)\n    )\n',
    );
  });

  it('is not offered where a with cannot wrap the statement alone, or it already runs under the backend', () => {
    assert.equal(
      fix('from sklearn.model_selection import GridSearchCV\nif GridSearchCV(m, g, n_jobs=-1).fit(X, y):\n    pass\n'),
      null,
    );
    assert.equal(
      fix('from sklearn.model_selection import GridSearchCV\nsearch = GridSearchCV(m, g, n_jobs=-1)\n'),
      null,
      'no fit',
    );
    assert.equal(
      fix(
        'import headroom_runtime as hr\nfrom sklearn.model_selection import GridSearchCV\nsearch = GridSearchCV(m, g, n_jobs=-1)\nwith hr.parallel():\n    search.fit(X, y)\n',
      ),
      null,
    );
    assert.equal(
      fix('from sklearn.ensemble import RandomForestClassifier\nf = RandomForestClassifier(n_jobs=-1)\nf.fit(X, y)\n'),
      null,
      'threads',
    );
  });
});
