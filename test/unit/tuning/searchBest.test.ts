import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { candidateBest } from '../../../src/core/tuning/searchBest';
import type { TrialRecord } from '../../../src/core/tuning/runFiles';
import { record } from '../runView/fixtures';

const task = (id: string, value: number | null, over: Partial<TrialRecord> = {}) => {
  const m = /c(\d+)-f(\d+)$/.exec(id)!;
  return record(id, { value, params: { alpha: Number(m[1]) / 10, fold: Number(m[2]) }, logFile: '', ...over });
};

describe("a joblib search's best: its best candidate's mean over folds, as best_params_", () => {
  it('is the candidate with the best mean, not the best single fold, and has no fold param', () => {
    // c000 has the best single fold (0.99) but c001 the best mean (0.80 vs 0.60).
    const records = [task('c000-f0', 0.99), task('c000-f1', 0.21), task('c001-f0', 0.8), task('c001-f1', 0.8)];
    assert.deepEqual(candidateBest(records, 'max'), {
      trialId: 'c001',
      params: { alpha: 0.1 },
      metrics: { folds: 2 },
      value: 0.8,
    });
    assert.equal(candidateBest(records, 'min')?.trialId, 'c000');
  });

  it('ties go to the first candidate; a failed fold rules a candidate out; halving: the last round', () => {
    assert.equal(candidateBest([task('c002-f0', 0.5), task('c001-f0', 0.5)], 'max')?.trialId, 'c001');
    const failed = [task('c000-f0', 0.9), task('c000-f1', null, { status: 'failed' }), task('c001-f0', 0.1)];
    assert.equal(candidateBest(failed, 'max')?.trialId, 'c001');
    const halving = [task('c000-f0', 0.99), task('c001-f0', 0.5), task('r1-c001-f0', 0.7, { rung: 1 })];
    assert.equal(candidateBest(halving, 'max')?.trialId, 'r1-c001');
  });

  it('leaves plain joblib.Parallel tasks to the per-task best', () => {
    assert.equal(candidateBest([record('t0000', { value: 3 })], 'max'), null);
  });
});
