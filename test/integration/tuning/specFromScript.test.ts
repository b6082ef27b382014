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
import { specFromSearch } from '../../../src/core/specEditing/specFromSearch';
import { readRun } from '../../../src/core/tuning';
import { churnCsv, CHURN_SCRIPT as SCRIPT, ownSearchResult } from '../../support/churnData';
import { python, runToEnd, workspace } from './helpers';

test("a spec made from a plain GridSearchCV script finds the script's own best params", async () => {
  const dir = workspace({ 'data/churn.csv': churnCsv(400), 'train.py': SCRIPT });
  // The user's own run of the script (from another working directory, as __file__ allows).
  const out = execFileSync(python, [join(dir, 'train.py')], { cwd: tmpdir(), encoding: 'utf8' });
  const { best: own, score: ownScore, all } = ownSearchResult(out);
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
