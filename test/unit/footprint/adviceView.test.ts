import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adviseFootprint } from '../../../src/core/footprint/advisor';
import { datasetView, memoryPlan, snippet } from '../../../src/core/footprint/datasetView';
import { column, int, result } from './adviceFixtures';

const scan = () =>
  result(
    [
      int('age', 1000, 0, 99, 900),
      column({ name: 'city', dtype: 'object', valueKind: 'string', bytes: 60_000, distinct: 3, categoryBytes: 1_200 }),
    ],
    1000,
  );

test('the panel view carries each column with its suggestion and the plan totals', () => {
  const r = scan();
  const advice = adviseFootprint(r, { path: 'data/x.csv' });
  const v = datasetView(r, advice, 'data/x.csv', 'pandas is not installed');
  assert.equal(v.totalBytes, 132 + 8000 + 60_000);
  assert.equal(v.suggestedTotalBytes, 132 + 1000 + 1_200);
  assert.deepEqual(v.columns[0].suggestion, {
    dtype: 'int8',
    bytes: 1000,
    reason: advice.plan.columns[0].suggestion!.reason,
  });
  assert.equal(v.modelNote, 'pandas is not installed');
  assert.match(v.code, /"data\/x\.csv"/);
  assert.equal(v.sparseSavedBytes, 1000 - 100 * 5);
  assert.ok(v.sparseCode?.includes('pd.SparseDtype("int8", 0)'));
});

test('the memory plan follows the available memory and the worker count', () => {
  const r = scan();
  const roomy = memoryPlan(r, 'x.csv', { availableBytes: 10_000_000, cores: 8 }).plan;
  assert.equal(roomy.workers, 8);
  assert.equal(roomy.copies, 9);
  assert.equal(roomy.sampleFraction, 1);
  assert.equal(roomy.fits, true);
  assert.equal(roomy.sampleCode, null);
  const tight = memoryPlan(r, 'x.csv', { availableBytes: 4_000, cores: 8, workers: 2 });
  assert.equal(tight.plan.workers, 2);
  assert.ok(tight.plan.sampleFraction > 0 && tight.plan.sampleFraction < 1);
  assert.match(snippet(tight.advice, 'sample')!, /skiprows=lambda i: i > 0 and rng\.random\(\) > /);
  assert.equal(snippet(tight.advice, 'code'), tight.advice.code);
});
