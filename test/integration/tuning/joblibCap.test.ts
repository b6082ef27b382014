import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { test } from 'node:test';
import { readRun } from '../../../src/core/tuning';
import { runToEnd, spec, workspace } from './helpers';

// cross_val_score(n_jobs=-1) inside a trial, while a thread counts the trial's child processes
// (loky workers) and its threads; the trial reports what it saw.
const CV = `import json, os, threading, time
import headroom_runtime as hr
from joblib import effective_n_jobs
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score

seen = {'children': 0, 'threads': 0}
stop = False
def descendants(root):
    kids = {}
    for pid in os.listdir('/proc'):
        try:
            stat = open('/proc/%s/stat' % pid).read()
            kids.setdefault(int(stat[stat.rindex(')') + 2:].split()[1]), []).append(int(pid))
        except Exception:
            pass
    out, todo = [], [root]
    while todo:
        for k in kids.get(todo.pop(), []):
            out.append(k)
            todo.append(k)
    return out
def watch():
    while not stop:
        seen['children'] = max(seen['children'], len(descendants(os.getpid())))
        seen['threads'] = max(seen['threads'], len(os.listdir('/proc/self/task')))
        time.sleep(0.05)
t = threading.Thread(target=watch, daemon=True)
t.start()
base = len(os.listdir('/proc/self/task'))
X, y = make_classification(n_samples=600, n_features=20, random_state=0)
scores = cross_val_score(RandomForestClassifier(n_estimators=60, n_jobs=-1, random_state=0), X, y, cv=4, n_jobs=-1)
stop = True
t.join()
print(json.dumps({'acc': float(scores.mean()), 'n_jobs': effective_n_jobs(-1), 'children': seen['children'], 'threads': seen['threads'] - base}))
`;

test('joblib/loky inside a trial: n_jobs=-1 means the trial threads, no worker pool beyond them', async (t) => {
  if (availableParallelism() < 2) return t.skip('needs 2 cores to tell a capped pool from an uncapped one');
  const dir = workspace({ 'cv.py': CV });
  const file = spec(
    dir,
    'cv.tune.yaml',
    'script: cv.py\nparams:\n  a: [1, 2]\nmetric: acc\nresources:\n  threadsPerTrial: 1\n',
  );
  const { summary, events } = await runToEnd(file, { cache: false });
  const trials = readRun(dir, summary.runId).trials;
  assert.equal(trials.length, 2);
  for (const trial of trials) {
    assert.equal(trial.status, 'done', trial.error ?? '');
    assert.equal(trial.metrics.n_jobs, 1, 'joblib sees one CPU: n_jobs=-1 runs in the trial process');
    assert.equal(trial.metrics.children, 0, 'no loky worker processes were started');
    // No pool of joblib threads either (RandomForest n_jobs=-1 uses the threading backend).
    assert.equal(trial.metrics.threads, 0, 'no threads beyond those before cross_val_score');
    assert.ok((trial.cpuMs ?? NaN) <= trial.wallMs * 1.3, `CPU ${trial.cpuMs} ms in ${trial.wallMs} ms wall: one core`);
  }
  const reasons = events.flatMap((e) => (e.type === 'concurrency' ? [e.decision.reason] : []));
  assert.ok(
    reasons.some((r) => /1 thread per trial \(BLAS, OpenMP and joblib n_jobs=-1 capped to 1\)/.test(r)),
    JSON.stringify(reasons),
  );
});

test('joblib inside a trial follows threadsPerTrial: 2 threads per trial allow n_jobs=-1 two workers', async () => {
  const dir = workspace({ 'cv.py': CV });
  const file = spec(
    dir,
    'cv.tune.yaml',
    'script: cv.py\nparams:\n  a: [1]\nmetric: acc\nresources:\n  threadsPerTrial: 2\n',
  );
  const { summary } = await runToEnd(file, { cache: false });
  const [trial] = readRun(dir, summary.runId).trials;
  assert.equal(trial.status, 'done', trial.error ?? '');
  assert.equal(trial.metrics.n_jobs, 2, 'joblib sees the two threads the trial has');
});
