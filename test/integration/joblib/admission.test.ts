/**
 * The joblib backend admits tasks by the tuning engine's rule: for the same machine state, Python's
 * `_admission.decide` gives the same allowed count, bound and reason (with "task" for "trial", and what
 * each caps in its processes) as
 * src/core/tuning/admission.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { decide } from '../../../src/core/tuning/admission';
import { pythons, repoRoot, requirePython } from '../../support/python';

const GiB = 2 ** 30;
const cases = [
  { running: [], available: 16 * GiB, budget: 2.5 * GiB, forecast: GiB, queued: 5 },
  { running: [{ f: 3 * GiB, c: GiB }], available: 5 * GiB, budget: 40 * GiB, forecast: 2 * GiB, queued: 5 },
  { running: [{ f: 0.9 * GiB, c: 1.1 * GiB }], available: 30 * GiB, budget: 1.5 * GiB, forecast: 0.8 * GiB, queued: 3 },
  { running: [], available: 0.2 * GiB, budget: 40 * GiB, forecast: 2 * GiB, queued: 1 },
  { running: [{ f: GiB, c: GiB }], available: 30 * GiB, budget: 40 * GiB, forecast: GiB, queued: 0 },
];
const [slots, reserve, idle] = [4, 0.5 * GiB, 0.25 * GiB];

test('Python and TypeScript admission agree on allowed, bound and reason', () => {
  const code = `
import json, sys
from headroom_runtime import _admission
out = []
for c in json.loads(sys.argv[1]):
    d = _admission.decide(${slots}, 8, 2, float("inf"), [(r["f"], r["c"]) for r in c["running"]], ${idle}, c["available"],
                          ${reserve}, c["budget"], c["forecast"], c["queued"], 0)
    out.append([d["allowed"], d["bound"], d["reason"]])
print(json.dumps(out))
`;
  const run = spawnSync(requirePython(pythons.test), ['-c', code, JSON.stringify(cases)], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(repoRoot, 'python') },
  });
  assert.equal(run.status, 0, run.stderr);
  const python = JSON.parse(run.stdout) as [number, string, string][];
  const ts = cases.map((c) => {
    const d = decide({
      slots,
      guardLimit: Infinity,
      running: c.running.map((r) => ({ forecastBytes: r.f, currentBytes: r.c })),
      idleBytes: idle,
      availableBytes: c.available,
      reserveBytes: reserve,
      budgetBytes: c.budget,
      nextForecastBytes: c.forecast,
      queued: c.queued,
      cores: 8,
      threadsPerTrial: 2,
      workersFixed: false,
    });
    // A trial's environment also caps joblib inside it (pythonProcess.ts); a joblib task's caps BLAS and OpenMP.
    const reason = d.reason
      .replace(/\btrial\b/g, 'task')
      .replace('BLAS, OpenMP and joblib n_jobs=-1', 'BLAS and OpenMP');
    return [d.allowed, d.bound, reason];
  });
  assert.deepEqual(python, ts);
  assert.deepEqual(
    ts.map((d) => d[1]),
    ['budget', 'memory', 'budget', 'memory', 'cpu'],
    'the cases cover each bound',
  );
});

test('the stated decisions: a limit is stated once it has held a second, never flipping at every finished task', () => {
  // Ticks every 100 ms: two tasks run (CPU-bound, 2 of 2); each time one finishes the budget has room
  // for one task less for 200 ms (its worker still holds the memory); later the budget binds for good.
  const code = `
import json
from headroom_runtime._admission import StableDecisions
s = StableDecisions()
def d(t, allowed, bound):
    return {"at": int(t * 1000), "allowed": allowed, "bound": bound, "reason": "%d %s" % (allowed, bound)}
ticks = []
t = 0.0
for step in range(300):
    t = round(step * 0.1, 1)
    if t < 20:
        allowed, bound = (1, "budget") if t % 3 < 0.25 and t > 1 else (2, "cpu")
    elif t < 25:
        allowed, bound = 1, "budget"
    elif t < 25.3:
        allowed, bound = 1, "guard"
    else:
        allowed, bound = 2, "cpu"
    ticks.append(d(t, allowed, bound))
out = [x for x in (s.offer(x, x["at"] / 1000) for x in ticks) if x]
print(json.dumps([[x["at"], x["allowed"], x["bound"]] for x in out]))
`;
  const run = spawnSync(requirePython(pythons.test), ['-c', code], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(repoRoot, 'python') },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [
    [0, 2, 'cpu'],
    // The budget bound from 20 s on: stated, dated from when it began.
    [20000, 1, 'budget'],
    // The memory guard's decision at once; then back to CPU-bound once that has held a second.
    [25000, 1, 'guard'],
    [25300, 2, 'cpu'],
  ]);
});
