import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DistinctMerger } from '../../../src/core/footprint/distinct';

describe('DistinctMerger', () => {
  it('marks a column high-cardinality once ranges under the cap exceed it together, for later ranges to skip', () => {
    const merger = new DistinctMerger(3, 3);
    const skip = [0, 0, 0];
    merger.add([['a', 'b'], ['x'], null]);
    merger.markHighCardinality(skip);
    assert.deepEqual(skip, [0, 0, 1], 'a range that gave up');
    merger.add([['c', 'd'], ['x'], []]);
    merger.markHighCardinality(skip);
    assert.deepEqual(skip, [1, 0, 1], 'two ranges of two values each, over a cap of three');
    assert.equal(merger.summary(0).count, null);
    assert.equal(merger.summary(1).count, 1);
  });
});
