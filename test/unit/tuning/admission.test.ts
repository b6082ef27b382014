import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decide, forecast, p95, type AdmissionInput } from '../../../src/core/tuning/admission';
import { guardDecision } from '../../../src/core/tuning/memoryGuard';
import { shouldPrune } from '../../../src/core/tuning/records';

const GiB = 1024 ** 3;
const base: AdmissionInput = {
  slots: 8,
  guardLimit: Infinity,
  running: [],
  idleBytes: 0,
  availableBytes: 64 * GiB,
  reserveBytes: 2 * GiB,
  budgetBytes: 60 * GiB,
  nextForecastBytes: GiB,
  queued: 10,
  cores: 8,
  threadsPerTrial: 1,
  workersFixed: false,
};

test('CPU-bound when memory is plentiful', () => {
  const d = decide(base);
  assert.equal(d.allowed, 8);
  assert.equal(d.bound, 'cpu');
  assert.equal(
    d.reason,
    '8 of 8 slots: CPU-bound, 8 cores, 1 thread per trial (BLAS, OpenMP and joblib n_jobs=-1 capped to 1)',
  );
});

test('memory-bound: available minus reserve over the forecast, in words', () => {
  const d = decide({ ...base, availableBytes: 2 * GiB + 5.8 * GiB, nextForecastBytes: 1.9 * GiB });
  assert.equal(d.allowed, 3);
  assert.equal(d.bound, 'memory');
  assert.equal(d.reason, '3 of 8 slots: memory-bound, 5.80 GiB available, 1.90 GiB per trial');
});

test('running trials still growing into their forecast count against the headroom', () => {
  const running = [{ forecastBytes: 3 * GiB, currentBytes: GiB }];
  const d = decide({ ...base, running, availableBytes: 2 * GiB + 4 * GiB, nextForecastBytes: GiB });
  // 4 GiB free, 2 GiB promised to the running trial: 2 more fit
  assert.equal(d.allowed, 3);
});

test('budget-bound, probe, guard and the one-trial floor', () => {
  const budget = decide({ ...base, budgetBytes: 2.5 * GiB, running: [{ forecastBytes: GiB, currentBytes: GiB }] });
  assert.equal(budget.bound, 'budget');
  assert.equal(budget.allowed, 2);
  assert.match(
    budget.reason,
    /^2 of 8 slots: budget-bound, 1\.50 GiB of the 2\.50 GiB budget left, 1\.00 GiB per trial/,
  );
  const probe = decide({ ...base, nextForecastBytes: null });
  assert.equal(probe.bound, 'probe');
  assert.equal(probe.allowed, 1);
  const guard = decide({ ...base, guardLimit: 2 });
  assert.equal(guard.bound, 'guard');
  assert.equal(guard.allowed, 2);
  const tooBig = decide({ ...base, nextForecastBytes: 100 * GiB });
  assert.equal(tooBig.allowed, 1, 'one trial may always run; the guard catches it');
  const fixed = decide({ ...base, slots: 3, workersFixed: true });
  assert.equal(fixed.reason, '3 of 3 slots: workers fixed at 3');
});

test('the check before launch: the first trial alone, then the others', () => {
  const first = decide({ ...base, launchCheck: true });
  assert.equal(first.bound, 'check');
  assert.equal(first.allowed, 1);
  assert.equal(first.reason, '1 of 8 slots: checking that the first trial works before starting the others');
  const running = decide({ ...base, launchCheck: true, running: [{ forecastBytes: GiB, currentBytes: GiB }] });
  assert.equal(running.allowed, 1, 'nothing more starts while the first trial runs');
  assert.equal(decide({ ...base, launchCheck: false }).allowed, 8);
});

test('forecast is the largest of declared, data estimate, p95 of peaks and running peak', () => {
  assert.equal(p95([]), null);
  assert.equal(p95([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 100]), 19);
  assert.equal(forecast({ declared: null, dataEstimate: null, finishedPeaks: [], runningPeak: null }), null);
  assert.equal(forecast({ declared: 5, dataEstimate: 7, finishedPeaks: [1, 2], runningPeak: 3 }), 7);
  assert.equal(forecast({ declared: 5, dataEstimate: null, finishedPeaks: [9, 10], runningPeak: 3 }), 10);
});

test('memory guard: critical line kills the newest, budget kills idle workers first, alone means no requeue', () => {
  const running = [
    { trialId: 'old', startedAt: 1, currentBytes: GiB },
    { trialId: 'new', startedAt: 2, currentBytes: GiB },
  ];
  const critical = guardDecision({
    running,
    idle: new Map(),
    availableBytes: 100,
    criticalBytes: 1000,
    budgetBytes: 10 * GiB,
  });
  assert.equal(critical.kind, 'killTrial');
  assert.ok(
    critical.kind === 'killTrial' && critical.trialId === 'new' && critical.requeue && critical.guardLimit === 1,
  );
  assert.match(critical.kind === 'killTrial' ? critical.note : '', /^killed: memory pressure/);
  const idle = guardDecision({
    running,
    idle: new Map([[42, GiB]]),
    availableBytes: 10 * GiB,
    criticalBytes: 1,
    budgetBytes: 2.5 * GiB,
  });
  assert.deepEqual(idle, { kind: 'killIdle', pid: 42 });
  const over = guardDecision({
    running,
    idle: new Map(),
    availableBytes: 10 * GiB,
    criticalBytes: 1,
    budgetBytes: 1.5 * GiB,
  });
  assert.ok(over.kind === 'killTrial' && over.reason === 'budget' && over.requeue);
  const alone = guardDecision({
    running: [running[0]],
    idle: new Map(),
    availableBytes: 10 * GiB,
    criticalBytes: 1,
    budgetBytes: 0.5 * GiB,
  });
  assert.ok(alone.kind === 'killTrial' && !alone.requeue && /even running alone/.test(alone.note));
  assert.deepEqual(
    guardDecision({ running, idle: new Map(), availableBytes: 10 * GiB, criticalBytes: 1, budgetBytes: 3 * GiB }),
    { kind: 'none' },
  );
});

test('median pruning', () => {
  assert.equal(shouldPrune(0.5, [0.6, 0.7], 'max', 2), true);
  assert.equal(shouldPrune(0.65, [0.6, 0.7], 'max', 2), false);
  assert.equal(shouldPrune(0.5, [0.6], 'max', 2), false, 'too few others');
  assert.equal(shouldPrune(0.8, [0.6, 0.7, 0.9], 'min', 2), true);
});

test('late subscribers to a run get the earlier events first, usage samples excepted', async () => {
  const { RunEventStream } = await import('../../../src/core/tuning/runEvents');
  const stream = new RunEventStream();
  stream.emit({ type: 'log', at: 1, level: 'info', message: 'a' });
  stream.emit({ type: 'trialUsage', at: 2, usage: [] });
  const seen: string[] = [];
  stream.on((e) => seen.push(e.type));
  stream.emit({ type: 'log', at: 3, level: 'info', message: 'b' });
  stream.end();
  const iterated: string[] = [];
  for await (const e of stream) iterated.push(e.type);
  assert.deepEqual(seen, ['log', 'log']);
  assert.deepEqual(iterated, ['log', 'log']);
});
