import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ConcurrencyDecision } from '../../../src/core/tuning/events';
import {
  describeConcurrency,
  formatDuration,
  formatMetric,
  formatParams,
  runEndMessage,
  searchStatusText,
  trialStatusText,
} from '../../../src/core/runView/reasons';
import { RunModel } from '../../../src/core/runView/runModel';
import { header, record } from './fixtures';

const GiB = 1024 ** 3;
const decision = (over: Partial<ConcurrencyDecision>): ConcurrencyDecision => ({
  at: 0,
  allowed: 3,
  slots: 8,
  running: 3,
  bound: 'memory',
  availableBytes: 2.1 * GiB,
  perTrialBytes: 1.9 * GiB,
  budgetBytes: 20 * GiB,
  reason: '',
  ...over,
});

describe('reason strings', () => {
  it('says why concurrency is what it is', () => {
    assert.equal(
      describeConcurrency(decision({})),
      '3 of 8 slots: memory-bound, 2.10 GiB available, 1.90 GiB per trial',
    );
    assert.equal(
      describeConcurrency(decision({ bound: 'budget', allowed: 2, budgetBytes: 4 * GiB })),
      '2 of 8 slots: held to the memory budget of 4.00 GiB, 1.90 GiB per trial',
    );
    assert.equal(
      describeConcurrency(decision({ bound: 'cpu', allowed: 2, slots: 2 })),
      '2 of 2 slots: CPU-bound, every slot in use; 2.10 GiB available, 1.90 GiB per trial',
    );
    assert.equal(
      describeConcurrency(decision({ bound: 'probe', allowed: 1, slots: 1, perTrialBytes: 0 })),
      '1 of 1 slot: measuring the first trial',
    );
  });

  it('formats metrics, durations and params', () => {
    assert.equal(formatMetric(0.912345), '0.9123');
    assert.equal(formatMetric(12.34567), '12.346');
    assert.equal(formatMetric(3), '3');
    assert.equal(formatMetric(null), '—');
    assert.equal(formatDuration(950), '950 ms');
    assert.equal(formatDuration(12_300), '12.3 s');
    assert.equal(formatDuration(125_000), '2 min 5 s');
    assert.equal(
      formatParams({ n_estimators: 200, max_depth: null, crit: 'gini', lr: 0.1 }),
      'n_estimators=200, max_depth=None, crit=gini, lr=0.1',
    );
  });

  it("gives each trial's status its reason", () => {
    const model = new RunModel(header());
    const [failed, cached, pruned, killed, done] = model.loadRecords([
      record('a', { status: 'failed', error: 'exit code 1' }),
      record('b', { status: 'cached', cachedFrom: { runId: 'old', trialId: 't9' } }),
      record('c', { status: 'pruned', error: null }),
      record('d', { status: 'killed', final: true, error: 'killed: memory pressure', attempt: 2 }),
      record('e', { status: 'done' }),
    ]);
    assert.equal(trialStatusText(failed), 'failed: exit code 1');
    assert.equal(trialStatusText(cached), 'cached from old/t9');
    assert.equal(trialStatusText(pruned), 'pruned');
    assert.equal(trialStatusText(killed), 'killed: memory pressure (attempt 2)');
    assert.equal(trialStatusText(done), 'done');
  });

  it('words the end of a run and the status bar', () => {
    const best = { trialId: 't1', params: { n: 200 }, metrics: {}, value: 0.93 };
    assert.equal(
      runEndMessage(header({ status: 'done' }), 4, best, 1),
      'Tuning run "rf" finished after 4 of 4 trials, 1 failed. Best accuracy 0.93 with n=200.',
    );
    assert.equal(
      runEndMessage(header({ status: 'stopped' }), 1, null, 1),
      'Tuning run "rf" was stopped after 1 of 4 trials, 1 failed: no trial succeeded.',
    );
    assert.equal(searchStatusText(header(), 2, best), '$(beaker) rf 2/4 · best 0.93');
    assert.equal(searchStatusText(header(), 0, null, 3), '$(beaker) rf 0/4 (+2)');
  });
});
