import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gridCandidates, halvingPlan, promote, randomCandidates } from '../../../src/core/tuning/searchSpace';

test('grid follows scikit-learn ParameterGrid order: sorted keys, last key fastest', () => {
  const grid = gridCandidates({
    n_estimators: { kind: 'choice', values: [50, 100] },
    max_depth: { kind: 'choice', values: [null, 10] },
  });
  assert.deepEqual(grid, [
    { max_depth: null, n_estimators: 50 },
    { max_depth: null, n_estimators: 100 },
    { max_depth: 10, n_estimators: 50 },
    { max_depth: 10, n_estimators: 100 },
  ]);
});

test('random search is seeded, in range, int inclusive', () => {
  const space = {
    lr: { kind: 'loguniform' as const, low: 1e-3, high: 1 },
    x: { kind: 'uniform' as const, low: -1, high: 1 },
    k: { kind: 'int' as const, low: 1, high: 3 },
    c: { kind: 'choice' as const, values: ['a', 'b'] },
  };
  const a = randomCandidates(space, 200, 42);
  assert.deepEqual(a, randomCandidates(space, 200, 42));
  assert.notDeepEqual(a, randomCandidates(space, 200, 43));
  const ks = new Set(a.map((p) => p.k));
  assert.deepEqual([...ks].sort(), [1, 2, 3]);
  for (const p of a) {
    assert.ok((p.lr as number) >= 1e-3 && (p.lr as number) <= 1);
    assert.ok((p.x as number) >= -1 && (p.x as number) < 1);
    assert.ok(p.c === 'a' || p.c === 'b');
  }
  // loguniform: about half the draws below the geometric middle (0.0316)
  const below = a.filter((p) => (p.lr as number) < Math.sqrt(1e-3)).length;
  assert.ok(below > 60 && below < 140, String(below));
});

test('halving plan matches HalvingGridSearchCV (factor 3, exhaust)', () => {
  assert.deepEqual(
    halvingPlan(9, 3, 1).map((r) => [r.candidates, +r.fraction.toFixed(4)]),
    [
      [9, 0.1111],
      [3, 0.3333],
      [1, 1],
    ],
  );
  assert.deepEqual(
    halvingPlan(10, 3, 0.5).map((r) => [r.candidates, +r.fraction.toFixed(4)]),
    [
      [10, 0.0556],
      [4, 0.1667],
      [2, 0.5],
    ],
  );
  assert.equal(halvingPlan(2, 3, 1).length, 1);
});

test('promotion keeps the best third, failures last, ties by candidate order', () => {
  const finished = [
    { trialId: 'r0-t0000', params: { a: 0 }, value: 0.5 },
    { trialId: 'r0-t0001', params: { a: 1 }, value: null },
    { trialId: 'r0-t0002', params: { a: 2 }, value: 0.9 },
    { trialId: 'r0-t0003', params: { a: 3 }, value: 0.9 },
  ];
  const next = promote(finished, { rung: 1, candidates: 2, fraction: 1 }, 'max');
  assert.deepEqual(
    next.map((t) => t.trialId),
    ['r1-t0002', 'r1-t0003'],
  );
  assert.deepEqual(
    promote(finished, { rung: 1, candidates: 1, fraction: 1 }, 'min').map((t) => t.trialId),
    ['r1-t0000'],
  );
});
