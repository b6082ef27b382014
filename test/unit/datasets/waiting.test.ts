import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SLOW_FOOTPRINT_MS, STALLED_FOOTPRINT_MS, waitingRow } from '../../../src/datasets/waiting';

test('a Datasets row spins quietly at first, then says what it waits for, then stops spinning', () => {
  assert.equal(waitingRow('data.csv', 0, null, SLOW_FOOTPRINT_MS - 1), null);
  const slow = waitingRow(
    'data.csv',
    0,
    { file: 'big.csv', stage: 'finding the Python interpreter and its pandas version', since: 1000 },
    20_000,
  );
  assert.deepEqual(slow, {
    description: 'waiting 20 s…',
    tooltip:
      'data.csv: no footprint yet after 20 s; the queue is busy with big.csv: finding the Python interpreter and its pandas version (for 19 s).',
    stalled: false,
  });
  const stalled = waitingRow(
    'data.csv',
    0,
    { file: 'data.csv', stage: 'scanning data.csv', since: 0 },
    STALLED_FOOTPRINT_MS,
  );
  assert.equal(stalled?.stalled, true);
  assert.equal(stalled?.description, 'no size after 90 s');
  assert.match(stalled?.tooltip ?? '', /scanning data\.csv \(for 90 s\)\.\nRefresh Datasets tries again/);
});
