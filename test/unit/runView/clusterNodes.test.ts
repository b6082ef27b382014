import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunModel } from '../../../src/core/runView/runModel';
import { trialNode } from '../../../src/core/runView/runTree';
import type { TrialRow } from '../../../src/core/runView/runModel';
import { comparator, cpuPercentOf, durationOf, nodeText } from '../../../src/core/runView/trialTable';
import { finished, header, record } from './fixtures';

test('a cluster run: each trial row carries its Ray node, from its start and from its record', () => {
  const model = new RunModel(header());
  model.apply({ type: 'trialQueued', at: 1, trialId: 't0000', params: { n: 1 }, rung: 0, fraction: 1, attempt: 1 });
  model.apply({
    type: 'trialStarted',
    at: 2,
    trialId: 't0000',
    attempt: 1,
    pid: 7,
    forecastBytes: 0,
    node: '10.0.0.2/abc123',
  });
  assert.equal(model.trials.get('t0000')?.node, '10.0.0.2/abc123');
  // A trial lost with its node reruns elsewhere: the record of the rerun names the node it finished on.
  model.apply(finished(record('t0000', { value: 0.9, node: '10.0.0.3/def456' }), { trialId: 't0000', value: 0.9 }));
  const row = model.trials.get('t0000')!;
  assert.equal(row.node, '10.0.0.3/def456');
  const item = trialNode('run', row, null, 'accuracy');
  assert.match(item.description, /on 10\.0\.0\.3\/def456$/);
  assert.match(item.tooltip, /Ray node: 10\.0\.0\.3\/def456/);
  model.apply({ type: 'trialQueued', at: 3, trialId: 't0001', params: { n: 2 }, rung: 0, fraction: 1, attempt: 1 });
  assert.equal(model.trials.get('t0001')?.node, undefined, 'no node before it is placed');
});

test('the Node column sorts by node, unplaced trials last', () => {
  const rows = [{ node: 'b/2' }, { node: null }, { node: 'a/1' }].map((r, seq) => ({ ...r, seq }) as TrialRow);
  const sorted = [...rows].sort(comparator({ column: 'node', direction: 'asc' }));
  assert.deepEqual(
    sorted.map((r) => r.node),
    ['a/1', 'b/2', null],
  );
});

test('a rerun queued after its node died: queued (attempt 2), no duration, the node cell names where it died', () => {
  const model = new RunModel(header());
  model.apply({ type: 'trialQueued', at: 1, trialId: 't0000', params: { n: 1 }, rung: 0, fraction: 1, attempt: 1 });
  model.apply({
    type: 'trialStarted',
    at: 2,
    trialId: 't0000',
    attempt: 1,
    pid: 7,
    forecastBytes: 0,
    node: 'w/abc123',
  });
  // rayScheduler records the lost attempt (not final), then queues attempt 2 at the front.
  const lost = record('t0000', {
    status: 'failed',
    final: false,
    node: 'w/abc123',
    wallMs: 5000,
    cpuMs: 0,
    peakRssBytes: 0,
    error: 'lost: node w/abc123 died while the trial ran there; rerun on another node',
  });
  model.apply(finished(lost));
  model.apply({ type: 'trialQueued', at: 8, trialId: 't0000', params: { n: 1 }, rung: 0, fraction: 1, attempt: 2 });
  const row = model.trials.get('t0000')!;
  assert.equal(row.status, 'queued');
  assert.equal(row.attempt, 2);
  assert.equal(durationOf(row, 60_000), null, 'no duration while queued');
  assert.equal(row.startedAt, null);
  assert.equal(row.node, undefined, 'not on the dead node any more');
  assert.equal(nodeText(row), 'w/abc123 (died)');
  assert.equal(trialNode('run', row, null, 'accuracy').description.includes('on w/abc123'), false);
  // The rerun starts on the node that is left: its node, its own duration.
  model.apply({
    type: 'trialStarted',
    at: 9,
    trialId: 't0000',
    attempt: 2,
    pid: 8,
    forecastBytes: 0,
    node: 'h/def456',
  });
  assert.equal(nodeText(row), 'h/def456');
  assert.equal(durationOf(row, 1009), 1000);
});

test('a trial whose CPU time was not measured shows "—", like its peak, not "0%"', () => {
  const model = new RunModel(header());
  // A segfault before the first sample: the record holds null for what was not measured.
  model.apply(
    finished(
      record('t0000', {
        status: 'failed',
        signal: 'SIGSEGV',
        exitCode: null,
        cpuMs: null,
        peakRssBytes: null,
        wallMs: 40,
      }),
    ),
  );
  const row = model.trials.get('t0000')!;
  assert.equal(row.peakRssBytes, null);
  assert.equal(cpuPercentOf(row), null);
  model.apply(finished(record('t0001', { cpuMs: 450, wallMs: 1000 })));
  assert.equal(cpuPercentOf(model.trials.get('t0001')!), 45);
  // A measured 0 (a trial that slept) is a number: "0%", not "—".
  model.apply(finished(record('t0002', { cpuMs: 0, wallMs: 1000 })));
  assert.equal(cpuPercentOf(model.trials.get('t0002')!), 0);
});
