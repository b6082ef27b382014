import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunModel } from '../../../src/core/runView/runModel';
import { finished, header, record } from './fixtures';

describe('RunModel', () => {
  it('follows a trial from queued through running to done and tracks the best', () => {
    const model = new RunModel(header());
    model.apply({ type: 'trialQueued', at: 1, trialId: 't0000', params: { n: 1 }, rung: 0, fraction: 1, attempt: 1 });
    model.apply({ type: 'trialQueued', at: 1, trialId: 't0001', params: { n: 2 }, rung: 0, fraction: 1, attempt: 1 });
    assert.equal(model.trials.get('t0000')?.status, 'queued');
    const started = model.apply({
      type: 'trialStarted',
      at: 5,
      trialId: 't0000',
      attempt: 1,
      pid: 42,
      forecastBytes: 0,
    });
    assert.equal(started.trials[0].status, 'running');
    assert.equal(started.trials[0].startedAt, 5);

    const usage = model.apply({
      type: 'trialUsage',
      at: 6,
      usage: [{ trialId: 't0000', pid: 42, rssBytes: 500, pssBytes: null, cpuPercent: 95 }],
    });
    assert.deepEqual(usage.usage, { at: 6, rssBytes: 500, cpuPercent: 95, running: 1 });
    assert.equal(model.trials.get('t0000')?.cpuPercent, 95);

    const done = model.apply(
      finished(record('t0000', { value: 0.8, metrics: { accuracy: 0.8 } }), { trialId: 't0000', value: 0.8 }),
    );
    assert.equal(done.best, true);
    assert.equal(model.best?.trialId, 't0000');
    assert.equal(model.trials.get('t0000')?.cpuPercent, null, 'live readings end with the trial');
    const worse = model.apply(finished(record('t0001', { value: 0.7 }), { trialId: 't0000', value: 0.8 }));
    assert.equal(worse.best, false);
    assert.equal(model.finished(), 2);
    assert.deepEqual(model.counts(), { done: 2 });
  });

  it('shows a trial killed for memory pressure as queued again until its rerun finishes', () => {
    const model = new RunModel(header());
    model.loadRecords([record('t0000', { status: 'killed', final: false, error: 'killed: memory pressure' })]);
    const row = model.trials.get('t0000')!;
    assert.equal(row.status, 'queued');
    assert.match(row.error!, /memory pressure; queued again/);
    model.loadRecords([record('t0000', { attempt: 2, value: 0.9 })]);
    assert.equal(row.status, 'done');
    assert.equal(row.attempt, 2);
    assert.equal(model.trials.size, 1, 'attempts of one trial are one row');
  });

  it('states no peak for a trial that ended before its first sample (a segfault at start), as the CLI does', () => {
    const model = new RunModel(header());
    model.loadRecords([
      record('t0000', { status: 'failed', signal: 'SIGSEGV', peakRssBytes: null, error: 'killed by SIGSEGV' }),
      record('t0001', { peakRssBytes: 14_000_000 }),
    ]);
    assert.equal(model.trials.get('t0000')!.peakRssBytes, null, 'not measured: "—", not "0 B"');
    assert.equal(model.trials.get('t0001')!.peakRssBytes, 14_000_000);
  });

  it('does not count trials cancelled by a stop as finished (they run again on resume)', () => {
    const model = new RunModel(header());
    model.loadRecords([
      record('a'),
      record('b', { status: 'cancelled', final: false, error: 'the run was stopped' }),
      record('c', { status: 'failed' }),
    ]);
    assert.equal(model.finished(), 2);
  });

  it('computes the best from records alone, preferring higher halving rungs, honouring min mode', () => {
    const max = new RunModel(header({ search: 'halving' }));
    max.loadRecords([
      record('r0-t0000', { value: 0.99, rung: 0 }),
      record('r1-t0001', { value: 0.8, rung: 1 }),
      record('r1-t0002', { value: 0.85, rung: 1 }),
      record('r0-t0003', { value: 0.3, status: 'failed' }),
    ]);
    assert.equal(max.best?.trialId, 'r1-t0002');
    const min = new RunModel(header({ mode: 'min' }));
    min.loadRecords([record('a', { value: 3 }), record('b', { value: 1 }), record('c', { value: 2 })]);
    assert.equal(min.best?.trialId, 'b');
  });

  it('derives halving rungs from the trials when the engine did not announce them', () => {
    const model = new RunModel(header({ search: 'halving' }));
    model.loadRecords([
      record('r0-t0000', { rung: 0, fraction: 1 / 9 }),
      record('r0-t0001', { rung: 0, fraction: 1 / 9 }),
      record('r0-t0002', { rung: 0, fraction: 1 / 9 }),
      record('r1-t0001', { rung: 1, fraction: 1 / 3 }),
    ]);
    assert.deepEqual(model.rungInfo(), [
      { rung: 0, fraction: 1 / 9, candidates: 3 },
      { rung: 1, fraction: 1 / 3, candidates: 1 },
    ]);
    model.apply({ type: 'rung', at: 1, rung: 1, fraction: 1 / 3, candidates: 2 });
    assert.equal(model.rungInfo()[1].candidates, 2, 'the announced count wins');
  });

  it('records decisions, rungs and the end of the run, clearing live readings', () => {
    const model = new RunModel(header());
    model.apply({ type: 'trialStarted', at: 5, trialId: 't0', attempt: 1, pid: 1, forecastBytes: 0 });
    model.apply({
      type: 'trialUsage',
      at: 6,
      usage: [{ trialId: 't0', pid: 1, rssBytes: 9, pssBytes: null, cpuPercent: 50 }],
    });
    const decision = {
      at: 7,
      allowed: 1,
      slots: 2,
      running: 1,
      bound: 'probe' as const,
      availableBytes: 1,
      perTrialBytes: 0,
      budgetBytes: 1,
      reason: 'x',
    };
    assert.equal(model.apply({ type: 'concurrency', at: 7, decision }).decision, decision);
    assert.equal(model.latestDecision(), decision);
    assert.equal(model.apply({ type: 'rung', at: 8, rung: 1, fraction: 0.33, candidates: 3 }).rung, true);
    const end = model.apply({
      type: 'runFinished',
      at: 9,
      summary: {
        ...header(),
        status: 'stopped',
        endedAt: 9,
        counts: {},
        best: null,
      },
    });
    assert.equal(end.header, true);
    assert.equal(model.header.status, 'stopped');
    assert.equal(model.trials.get('t0')?.rssBytes, null);
    assert.equal(end.trials.length, 1);
  });
});
