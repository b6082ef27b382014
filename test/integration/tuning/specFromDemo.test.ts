/**
 * "New Tuning Spec" on the demo's train.py (a Pipeline of ColumnTransformer + HistGradientBoosting,
 * GridSearchCV with scoring="roc_auc", cv=3): the spec and objective module written from it run
 * through the engine to the best params train.py's own GridSearchCV prints. Before, the spec made
 * for train.py ran it as a script and every trial failed ("finished without reporting 'roc_auc'").
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { analyzeTree, findSearches, getPythonParser, resolveDataPath } from '../../../src/core/hints';
import { specFromSearch } from '../../../src/core/specEditing/specFromSearch';
import { readRun } from '../../../src/core/tuning';
import { repoRoot } from '../../support/python';
import { python, runToEnd, workspace } from './helpers';

test("the spec made from demo/train.py finds the best params of train.py's own GridSearchCV", async () => {
  const dir = workspace({});
  cpSync(join(repoRoot, 'demo', 'data'), join(dir, 'data'), { recursive: true });
  const script = readFileSync(join(repoRoot, 'demo', 'train.py'), 'utf8');
  writeFileSync(join(dir, 'train.py'), script);
  const out = execFileSync(python, [join(dir, 'train.py')], { cwd: tmpdir(), encoding: 'utf8' });
  const printed = /^best params: (.*)$/m.exec(out)![1];
  const ownScore = Number(/^cross-validated ROC AUC: ([\d.]+)$/m.exec(out)![1]);
  const own = JSON.parse(
    execFileSync(python, ['-c', 'import ast, json, sys; print(json.dumps(ast.literal_eval(sys.argv[1])))', printed], {
      encoding: 'utf8',
    }),
  ) as Record<string, unknown>;

  const tree = (await getPythonParser()).parse(script)!;
  const [search] = findSearches(tree);
  assert.deepEqual([search.finalClass, search.scoring, search.cv], ['HistGradientBoostingClassifier', 'roc_auc', 3]);
  const [read] = analyzeTree(tree).reads;
  const res = resolveDataPath({
    path: read.path!,
    anchor: read.pathAnchor,
    documentPath: join(dir, 'train.py'),
    kind: 'script',
    workspaceFolder: dir,
  });
  assert.ok(res.found);
  const made = specFromSearch({ fileName: 'train.py', search, line: 1, dataPath: relative(dir, res.file) });
  writeFileSync(join(dir, made.module.fileName), made.module.text);
  writeFileSync(join(dir, made.fileName), made.text);

  const { summary } = await runToEnd(join(dir, made.fileName));
  const trials = readRun(dir, summary.runId).trials;
  assert.equal(summary.status, 'done', JSON.stringify(trials.map((t) => [t.status, t.error])));
  assert.equal(trials.filter((t) => t.status === 'done').length, 8);
  assert.deepEqual(summary.best?.params, own);
  assert.ok(Math.abs(summary.best!.value! - ownScore) <= 0.0005, `${summary.best?.value} vs train.py's ${ownScore}`);
  console.log(
    `demo/train.py: own GridSearchCV ${printed}; Headroom ${JSON.stringify(summary.best?.params)} roc_auc ${summary.best?.value}`,
  );
});
