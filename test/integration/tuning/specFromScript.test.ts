/**
 * "New Tuning Spec" on a plain scikit-learn script (no Headroom code in it): the spec and objective
 * module written from the script's own GridSearchCV, run through the engine, find the best params
 * (and the best cross-validated score) that the script's GridSearchCV finds itself.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { analyzeTree, findSearches, getPythonParser, resolveDataPath } from '../../../src/core/hints';
import { specFromSearch } from '../../../src/core/runView/specFromSearch';
import { readRun } from '../../../src/core/tuning';
import { python, runToEnd, workspace } from './helpers';

/** A small churn table with signal in some columns and noise in others (fixed seed). */
function churnCsv(rows: number): string {
  let x = 12345;
  const next = () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lines = ['age,visits,spend,tickets,noise,churned'];
  for (let i = 0; i < rows; i++) {
    const age = 18 + Math.floor(next() * 60);
    const visits = Math.floor(next() * 40);
    const spend = Math.round(next() * 5000) / 10;
    const tickets = Math.floor(next() * 6);
    const noise = Math.round(next() * 1000);
    const risk = tickets * 0.6 - visits * 0.05 + (age < 30 ? 0.8 : 0) + (next() - 0.5) * 2.5;
    lines.push([age, visits, spend, tickets, noise, risk > 0.6 ? 1 : 0].join(','));
  }
  return lines.join('\n') + '\n';
}

const SCRIPT = `import json
from pathlib import Path

import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV

DATA = Path(__file__).resolve().parent / "data" / "churn.csv"


def main():
    df = pd.read_csv(DATA)
    X, y = df.drop(columns="churned"), df["churned"]
    search = GridSearchCV(
        RandomForestClassifier(random_state=0),
        {"n_estimators": [10, 40], "max_depth": [None, 2, 4], "max_features": [0.5, 1.0]},
        cv=5,
        n_jobs=-1,
    )
    search.fit(X, y)
    print("BEST " + json.dumps(search.best_params_, sort_keys=True))
    print("SCORE " + repr(float(search.best_score_)))
    print("ALL " + json.dumps([float(s) for s in search.cv_results_["mean_test_score"]]))


if __name__ == "__main__":
    main()
`;

test("a spec made from a plain GridSearchCV script finds the script's own best params", async () => {
  const dir = workspace({ 'data/churn.csv': churnCsv(400), 'train.py': SCRIPT });
  // The user's own run of the script (from another working directory, as __file__ allows).
  const out = execFileSync(python, [join(dir, 'train.py')], { cwd: tmpdir(), encoding: 'utf8' });
  const own = JSON.parse(/^BEST (.*)$/m.exec(out)![1]) as Record<string, unknown>;
  const ownScore = Number(/^SCORE (.*)$/m.exec(out)![1]);
  const all = JSON.parse(/^ALL (.*)$/m.exec(out)![1]) as number[];
  assert.equal(
    all.filter((s) => s === ownScore).length,
    1,
    `one best candidate, so the comparison means something: ${all}`,
  );

  const parser = await getPythonParser();
  const tree = parser.parse(SCRIPT)!;
  const [search] = findSearches(tree);
  const [read] = analyzeTree(tree).reads;
  const res = resolveDataPath({
    path: read.path!,
    anchor: read.pathAnchor,
    documentPath: join(dir, 'train.py'),
    kind: 'script',
    workspaceFolder: dir,
  });
  assert.ok(res.found);
  const made = specFromSearch({
    fileName: 'train.py',
    search,
    line: SCRIPT.slice(0, search.start).split('\n').length,
    dataPath: relative(dir, res.file),
  });
  writeFileSync(join(dir, made.module.fileName), made.module.text);
  const specFile = join(dir, made.fileName);
  writeFileSync(specFile, made.text);

  const { summary } = await runToEnd(specFile);
  const trials = readRun(dir, summary.runId).trials;
  assert.equal(summary.status, 'done', JSON.stringify(trials.map((t) => [t.status, t.error])));
  assert.equal(trials.length, 12);
  assert.deepEqual(summary.best?.params, own, 'the best params of the script’s own GridSearchCV');
  assert.equal(summary.best?.value, ownScore, 'the same best cross-validated accuracy');
  console.log(
    `own GridSearchCV: ${JSON.stringify(own)} ${ownScore}; Headroom: ${JSON.stringify(summary.best?.params)} ${summary.best?.value}`,
  );
});
