import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRun, resumeRun } from '../../../src/core/tuning';
import { RunStore } from '../../../src/core/tuning/runStore';
import { hostname } from 'node:os';
import { processesUnder, runToEnd, spec, testOptions, workspace, zombieChildren } from './helpers';

const OBJECTIVE = `
import os
import headroom_runtime as hr
IMPORTED_IN = os.getpid()
calls = {'n': 0}
print('importing the module once')

def objective(p):
    calls['n'] += 1
    if p['a'] == 0:
        raise ValueError('a must not be zero')
    print('trial with', p)
    return {'score': p['a'] * 1.5, 'pid': os.getpid(), 'imported_in': IMPORTED_IN, 'calls': calls['n']}

def plain(p):
    return 0.25 * p['a']

def reporter(p):
    hr.report(loss=0.5 * p['a'], extra=1)
`;

test('objective mode: one import per worker, many calls, dict or number results, exceptions fail only the trial', async () => {
  const dir = workspace({ 'obj.py': OBJECTIVE });
  const file = spec(
    dir,
    'o.tune.yaml',
    'objective: obj:objective\nparams:\n  a: [0, 1, 2, 3, 4, 5, 6, 7]\nmetric: score\n',
  );
  const { summary } = await runToEnd(file);
  const trials = readRun(dir, summary.runId).trials;
  assert.equal(trials.length, 8);
  const failed = trials.find((t) => t.params.a === 0)!;
  assert.equal(failed.status, 'failed');
  assert.match(failed.error ?? '', /ValueError: a must not be zero/);
  assert.match(readFileSync(join(summary.runDir, failed.logFile), 'utf8'), /Traceback/);
  const done = trials.filter((t) => t.status === 'done');
  assert.equal(done.length, 7);
  const pids = new Set(done.map((t) => t.metrics.pid));
  assert.ok(pids.size >= 1 && pids.size <= 2, `one worker process per slot, got ${pids.size}`);
  for (const t of done)
    assert.equal(t.metrics.pid, t.metrics.imported_in, 'trial ran in the process that imported the module');
  const totalCalls = [...pids].map((pid) =>
    Math.max(...done.filter((t) => t.metrics.pid === pid).map((t) => t.metrics.calls)),
  );
  assert.ok(totalCalls.reduce((a, b) => a + b, 0) >= 7, 'module state persists between trials of a worker');
  assert.deepEqual(summary.best?.params, { a: 7 });
  const logs = done.map((t) => readFileSync(join(summary.runDir, t.logFile), 'utf8'));
  assert.ok(
    logs.every((l, i) => l.includes(`trial with {'a': ${done[i].params.a}}`)),
    'each trial log holds its own output',
  );
  const plain = await runToEnd(
    spec(dir, 'n.tune.yaml', 'objective: obj:plain\nparams:\n  a: [1, 2]\nmetric: loss\nmode: min\n'),
  );
  assert.deepEqual(plain.summary.best?.metrics, { loss: 0.25 });
  const reported = await runToEnd(
    spec(dir, 'r.tune.yaml', 'objective: obj:reporter\nparams:\n  a: [2, 1]\nmetric: loss\nmode: min\n'),
  );
  assert.deepEqual(
    reported.summary.best?.metrics,
    { loss: 0.5, extra: 1 },
    'returning None: the report() result counts',
  );
  assert.deepEqual(processesUnder(dir), [], 'worker processes end with the run');
  assert.deepEqual(zombieChildren(), [], 'and are reaped, not left as zombies');
});

test('an objective module that cannot be imported fails the run at once with the reason', async () => {
  const dir = workspace({ 'broken.py': 'import not_a_module_anywhere\ndef f(p):\n    return 1\n' });
  const { summary, events } = await runToEnd(
    spec(dir, 'b.tune.yaml', 'objective: broken:f\nparams:\n  a: [1, 2, 3, 4, 5, 6]\nmetric: m\n'),
  );
  assert.equal(summary.status, 'failed');
  const trials = readRun(dir, summary.runId).trials;
  assert.ok(trials.length <= 2, `stopped early, ran ${trials.length}`);
  assert.match(trials[0].error ?? '', /No module named 'not_a_module_anywhere'/);
  assert.ok(events.some((e) => e.type === 'log' && e.level === 'error' && /could not start/.test(e.message)));
});

const HALVING = `
import headroom_runtime as hr
X = list(range(900))
y = [i % 3 for i in range(900)]

def objective(p):
    Xs, ys = hr.subsample(X, y)
    counts = [ys.count(c) for c in range(3)]
    return {'score': p['c'] + hr.fraction() / 100, 'rows': len(Xs), 'balanced': int(max(counts) - min(counts) <= 1), 'fraction': hr.fraction()}
`;

test('halving: rungs over the data fraction with factor 3, stratified seeded subsamples', async () => {
  const dir = workspace({ 'h.py': HALVING });
  const file = spec(
    dir,
    'h.tune.yaml',
    'objective: h:objective\nsearch: halving\nparams:\n  c: [1, 2, 3, 4, 5, 6, 7, 8, 9]\nmetric: score\n',
  );
  const { summary, events } = await runToEnd(file);
  const trials = readRun(dir, summary.runId).trials;
  const rung = (r: number) => trials.filter((t) => t.rung === r);
  assert.equal(rung(0).length, 9);
  assert.equal(rung(1).length, 3);
  assert.equal(rung(2).length, 1);
  assert.ok(
    rung(0).every((t) => t.metrics.rows === 100 && t.metrics.balanced === 1),
    JSON.stringify(rung(0).map((t) => t.metrics)),
  );
  assert.deepEqual(
    rung(1)
      .map((t) => t.params.c)
      .sort(),
    [7, 8, 9],
  );
  assert.ok(rung(1).every((t) => t.metrics.rows === 300));
  assert.equal(rung(2)[0].metrics.rows, 900);
  assert.equal(summary.total, 13);
  assert.deepEqual(summary.best?.params, { c: 9 });
  assert.equal(summary.best?.trialId, 'r2-t0008');
  assert.deepEqual(
    events.flatMap((e) => (e.type === 'rung' ? [e.candidates] : [])),
    [9, 3, 1],
  );
});

test('an interrupted halving run resumes mid-rung and ends with the same result', async () => {
  const dir = workspace({ 'h.py': HALVING });
  const file = spec(
    dir,
    'h.tune.yaml',
    'objective: h:objective\nsearch: halving\nparams:\n  c: [1, 2, 3, 4, 5, 6, 7, 8, 9]\nmetric: score\ncache: false\n',
  );
  const { summary } = await runToEnd(file);
  const store = new RunStore(dir, summary.runId);
  const all = store.readTrials();
  // Keep the first rung and one trial of the second, cut the next line short, and mark the owner dead.
  const kept = all.filter((t) => t.rung === 0).concat(all.filter((t) => t.rung === 1).slice(0, 1));
  writeFileSync(
    store.trialsPath,
    kept.map((t) => JSON.stringify(t)).join('\n') + '\n' + JSON.stringify(all.at(-1)).slice(0, 30),
  );
  store.updateMeta({ status: 'running', endedAt: null, owner: { pid: 2 ** 22 + 11, host: hostname() } });
  assert.equal(readRun(dir, summary.runId).summary.status, 'interrupted');
  const handle = await resumeRun(dir, summary.runId, testOptions);
  const resumed = await handle.done;
  assert.equal(resumed.status, 'done');
  const after = readRun(dir, summary.runId).trials;
  assert.equal(after.filter((t) => t.rung === 0).length, 9, 'rung 0 not rerun');
  assert.equal(after.filter((t) => t.rung === 1).length, 3);
  assert.equal(after.filter((t) => t.rung === 2).length, 1);
  assert.deepEqual(resumed.best?.params, summary.best?.params);
  assert.equal(resumed.best?.trialId, 'r2-t0008');
});

test('median pruning in objective mode is cooperative: the worker survives', async () => {
  const dir = workspace({
    'p.py': `import os, time\nimport headroom_runtime as hr\ndef objective(p):\n    for s in range(4):\n        hr.report(step=s, score=p['q'] * s)\n        time.sleep(0.02)\n    return {'score': p['q'] * 3, 'pid': os.getpid()}\n`,
  });
  const file = spec(
    dir,
    'p.tune.yaml',
    'objective: p:objective\nparams:\n  q: [5, 4, 3, 2, 6]\nmetric: score\nprune: median\nresources:\n  workers: 1\n',
  );
  const { summary } = await runToEnd(file);
  const byQ = new Map(readRun(dir, summary.runId).trials.map((t) => [t.params.q, t]));
  assert.equal(byQ.get(3)?.status, 'pruned');
  assert.equal(byQ.get(2)?.status, 'pruned');
  assert.equal(byQ.get(6)?.status, 'done');
  assert.equal(byQ.get(6)?.metrics.pid, byQ.get(5)?.metrics.pid, 'same worker process after pruning');
  assert.deepEqual(summary.best?.params, { q: 6 });
});
