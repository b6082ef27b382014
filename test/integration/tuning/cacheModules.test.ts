// The trial cache follows the workspace modules a script or objective imports: an unchanged tree is
// reused, an edited helper runs the trials again (a stale result would be silently wrong).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { runToEnd, spec, workspace } from './helpers';

test('script mode: editing an imported helper invalidates the cached trials', async () => {
  const dir = workspace({
    'train.py': [
      'import headroom_runtime as hr',
      'from helpers import scale',
      "hr.report(acc=scale(hr.params()['a']))",
    ].join('\n'),
    'helpers.py': 'from factors import FACTOR\ndef scale(a):\n    return a * FACTOR\n',
    'factors.py': 'FACTOR = 2\n',
  });
  const file = spec(dir, 'h.tune.yaml', 'script: train.py\nparams:\n  a: [1, 2]\nmetric: acc\n');
  const first = await runToEnd(file);
  assert.equal(first.summary.counts.done, 2);
  assert.equal(first.summary.best?.value, 4);
  const again = await runToEnd(file);
  assert.equal(again.summary.counts.cached, 2, 'nothing changed: reused');
  // a module imported through another one
  writeFileSync(join(dir, 'factors.py'), 'FACTOR = 3\n');
  const edited = await runToEnd(file);
  assert.equal(edited.summary.counts.done, 2, JSON.stringify(edited.summary.counts));
  assert.equal(edited.summary.best?.value, 6, 'computed with the new helper');
});

test('objective mode: editing a module the objective imports invalidates the cached trials', async () => {
  const dir = workspace({
    'obj.py': 'from pkg.weights import W\n\ndef objective(p):\n    return p["a"] * W\n',
    'pkg/__init__.py': '',
    'pkg/weights.py': 'W = 10\n',
  });
  const file = spec(dir, 'o.tune.yaml', 'objective: obj:objective\nparams:\n  a: [1, 2]\nmetric: score\n');
  const first = await runToEnd(file);
  assert.equal(first.summary.best?.value, 20);
  assert.equal((await runToEnd(file)).summary.counts.cached, 2);
  writeFileSync(join(dir, 'pkg', 'weights.py'), 'W = 100\n');
  const edited = await runToEnd(file);
  assert.equal(edited.summary.counts.done, 2, JSON.stringify(edited.summary.counts));
  assert.equal(edited.summary.best?.value, 200);
});
