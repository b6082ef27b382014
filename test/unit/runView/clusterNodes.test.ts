import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunModel } from '../../../src/core/runView/runModel';
import { trialNode } from '../../../src/core/runView/runTree';
import type { TrialRow } from '../../../src/core/runView/runModel';
import { comparator } from '../../../src/core/runView/trialTable';
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
