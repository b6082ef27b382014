// Whether a possible index column is an arithmetic sequence (pandas 3 makes a RangeIndex of one whose step
// is not 0): one range's check and ranges' checks merged must agree.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { G, foldSequence, mergeGlobals, newGlobals } from '../../../src/core/footprint/fieldStats';

/** The sequence check of one column over `values`, as one range or as two ranges split at `at` and merged. */
function check(values: number[], at?: number): { ok: number; step: number; n: number } {
  const fold = (vs: number[]) => {
    const gl = newGlobals(1);
    for (const v of vs) foldSequence(gl, 0, v, 0);
    return gl;
  };
  const gl = at === undefined ? fold(values) : fold(values.slice(0, at));
  if (at !== undefined) mergeGlobals(gl, fold(values.slice(at)), 1);
  return { ok: gl[G.SEQ_OK], step: gl[G.SEQ_STEP], n: gl[G.SEQ_N] };
}

describe('the arithmetic-sequence check of a possible index column', () => {
  const cases: [string, number[], number][] = [
    ['a step of 3', [4, 7, 10, 13, 16, 19], 1],
    ['a step of -1', [9, 8, 7, 6, 5], 1],
    ['one value repeated (a step of 0: never a RangeIndex)', [7, 7, 7, 7, 7], 0],
    ['two equal values', [7, 7], 0],
    ['a repeat inside a sequence', [1, 2, 3, 3, 4, 5], 0],
    ['a step that changes', [1, 2, 3, 5, 7, 9], 0],
  ];
  for (const [name, values, ok] of cases) {
    it(`${name}: the same answer as one range and split anywhere into two`, () => {
      const whole = check(values);
      assert.equal(whole.ok, ok);
      assert.equal(whole.n, values.length);
      for (let at = 0; at <= values.length; at++) {
        const split = check(values, at);
        assert.equal(split.ok, ok, `split at ${at}`);
        assert.equal(split.n, values.length, `split at ${at}`);
        if (ok === 1) assert.equal(split.step, whole.step, `split at ${at}`);
      }
    });
  }
});
