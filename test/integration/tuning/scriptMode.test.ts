import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRun } from '../../../src/core/tuning';
import { processesUnder, runToEnd, spec, workspace } from './helpers';

const TRAIN = `
import argparse, json, os
import headroom_runtime as hr
p = argparse.ArgumentParser()
p.add_argument('--a', type=int)
p.add_argument('--b')
args = p.parse_args()
names = ['OMP_NUM_THREADS', 'MKL_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'NUMEXPR_NUM_THREADS', 'VECLIB_MAXIMUM_THREADS']
threads = {os.environ.get(n) for n in names}
assert hr.params() == {'a': args.a, 'b': args.b}, (hr.params(), args)
assert json.loads(os.environ['HEADROOM_PARAMS']) == hr.params()
for step in range(3):
    hr.report(step=step, acc=args.a * step)
print('training a=%d b=%s' % (args.a, args.b))
hr.report(acc=args.a * 10 + (1 if args.b == 'y' else 0), threads=int(threads.pop()), consistent=len(threads) == 0)
`;

test('script mode: params as arguments and HEADROOM_PARAMS, thread limits, reports, records, cache', async () => {
  const dir = workspace({ 'train.py': TRAIN });
  const file = spec(
    dir,
    'grid.tune.yaml',
    'script: train.py\nparams:\n  a: [1, 2, 3]\n  b: [x, y]\nmetric: acc\nresources:\n  threadsPerTrial: 2\n',
  );
  const { summary, events } = await runToEnd(file);
  assert.equal(summary.status, 'done');
  assert.equal(summary.counts.done, 6, JSON.stringify(summary.counts));
  assert.deepEqual(summary.best?.params, { a: 3, b: 'y' });
  assert.equal(summary.best?.value, 31);
  const { trials } = readRun(dir, summary.runId);
  assert.equal(trials.length, 6);
  for (const t of trials) {
    assert.equal(t.status, 'done', `${t.trialId}: ${t.error}`);
    assert.equal(t.metrics.threads, 2, 'threadsPerTrial reaches every BLAS/OpenMP variable');
    assert.equal(t.metrics.consistent, 1);
    assert.deepEqual(
      t.intermediate.map((i) => i.step),
      [0, 1, 2],
    );
    assert.equal(t.exitCode, 0);
    assert.ok((t.peakRssBytes ?? NaN) > 5_000_000, `peak RSS ${t.peakRssBytes}`);
    assert.ok((t.cpuMs ?? NaN) > 0);
    assert.match(readFileSync(join(summary.runDir, t.logFile), 'utf8'), /training a=\d b=[xy]/);
  }
  // 2 cores / 2 threads per trial = one slot
  const decisions = events.flatMap((e) => (e.type === 'concurrency' ? [e.decision] : []));
  assert.ok(
    decisions.every((d) => d.allowed <= 1 && d.slots === 1),
    JSON.stringify(decisions),
  );
  assert.ok(events.some((e) => e.type === 'trialProgress' && e.step === 2));

  const again = await runToEnd(file);
  assert.equal(again.summary.counts.cached, 6, 'identical script, params and data: reused');
  const cached = readRun(dir, again.summary.runId).trials;
  assert.ok(cached.every((t) => t.cachedFrom?.runId === summary.runId));
  const fresh = await runToEnd(file, { cache: false });
  assert.equal(fresh.summary.counts.done, 6);
  assert.deepEqual(processesUnder(dir), []);
});

test('a script that never imports the runtime: the last JSON line with the metric counts', async () => {
  const dir = workspace({
    'plain.py': `import json, sys\nx = float(sys.argv[sys.argv.index('--x') + 1])\nprint(json.dumps({'loss': 99}))\nprint('{"unrelated": 1}')\nprint(json.dumps({'loss': (x - 2) ** 2, 'x': x}))\nprint('done')\n`,
  });
  const file = spec(
    dir,
    'plain.tune.json',
    JSON.stringify({ script: 'plain.py', params: { x: [1, 2, 3.5] }, metric: 'loss', mode: 'min' }),
  );
  const { summary } = await runToEnd(file);
  assert.equal(summary.counts.done, 3);
  assert.deepEqual(summary.best?.params, { x: 2 });
  assert.deepEqual(summary.best?.metrics, { loss: 0, x: 2 });
});

test('a script that reports nothing fails with an explanation; no trial succeeded means a failed run', async () => {
  const dir = workspace({ 'quiet.py': 'print("no metrics here")\n' });
  const { summary } = await runToEnd(
    spec(dir, 'quiet.tune.yaml', 'script: quiet.py\nparams:\n  a: [1]\nmetric: acc\n'),
  );
  assert.equal(summary.status, 'failed');
  assert.equal(summary.best, null);
  const [t] = readRun(dir, summary.runId).trials;
  assert.match(t.error ?? '', /finished without reporting 'acc'/);
  assert.ok(existsSync(join(summary.runDir, t.logFile)));
});

test('median pruning stops trials worse than the median at the same step (script mode)', async () => {
  const dir = workspace({
    'steps.py': `import time\nimport headroom_runtime as hr\nq = hr.params()['q']\nfor s in range(4):\n    hr.report(step=s, score=q * s)\n    time.sleep(0.02)\nhr.report(score=q * 3)\n`,
  });
  const file = spec(
    dir,
    'p.tune.yaml',
    'script: steps.py\nparams:\n  q: [5, 4, 3, 2]\nmetric: score\nprune: median\nresources:\n  workers: 1\n',
  );
  const { summary } = await runToEnd(file);
  const byQ = new Map(readRun(dir, summary.runId).trials.map((t) => [t.params.q, t]));
  assert.equal(byQ.get(5)?.status, 'done');
  assert.equal(byQ.get(4)?.status, 'done');
  for (const q of [3, 2]) {
    const t = byQ.get(q)!;
    assert.equal(t.status, 'pruned', `q=${q}: ${t.status} ${t.error}`);
    assert.equal(t.intermediate.at(-1)?.step, 1, 'stopped at the first step below the median');
  }
  assert.deepEqual(summary.best?.params, { q: 5 });
});
