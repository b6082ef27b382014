import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SchemaElement } from 'hyparquet';
import { foldNumberValue, numberStatsFromMetadata, newNumberStats } from '../../../src/core/footprint/parquetNumbers';
import { shortestDigits } from '../../../src/core/footprint/float32';

function fold(values: number[]) {
  const stats = newNumberStats();
  for (const v of values) foldNumberValue(stats, v);
  return stats;
}

test('Parquet number stats: zeros, whole values, NaN read as missing', () => {
  const s = fold([0, 3, -4, 0, NaN, 2 ** 40]);
  assert.equal(s.zeros, 2);
  assert.equal(s.allIntegral, true);
  assert.equal(s.maxRelativeError, 0, 'whole numbers below 2^24 and powers of two are exact in float32');
  assert.equal(fold([1, 2.5]).allIntegral, false);
});

test('Parquet number stats: float32 error measured, written precision judged on the shortest text', () => {
  const short = fold([577.28, 0.1, 95.5878]);
  const expected = Math.max(...[577.28, 0.1, 95.5878].map((v) => Math.abs((Math.fround(v) - v) / v)));
  assert.equal(short.maxRelativeError, expected);
  assert.ok(short.maxRelativeError > 0);
  assert.equal(short.preservesWrittenPrecision, true, 'up to 6 significant digits survive float32');
  const long = fold([0.5, 0.924555445788428]);
  assert.equal(long.preservesWrittenPrecision, false, '15 significant digits do not');
  assert.equal(fold([16777217]).preservesWrittenPrecision, false, '2^24 + 1 becomes 16777216');
  assert.equal(fold([1234567.5]).preservesWrittenPrecision, true, 'float32 holds 1234567.5 exactly');
});

test('shortest digits are those of the round-trip text', () => {
  assert.deepEqual([0.1, 577.28, -95.5878, 1e21, 1.5e-7, 0.924555445788428].map(shortestDigits), [1, 5, 6, 1, 2, 15]);
});

test('positive (or negative) ints within float32 range are known from the row-group statistics alone', () => {
  const int64 = { name: 'n', type: 'INT64' } as SchemaElement;
  const known = { zeros: 0, allIntegral: true, maxRelativeError: 0, preservesWrittenPrecision: true };
  assert.deepEqual(numberStatsFromMetadata(int64, { min: 1, max: 5 }), known);
  assert.deepEqual(numberStatsFromMetadata(int64, { min: -9, max: -1 }), known);
  assert.equal(numberStatsFromMetadata(int64, { min: 0, max: 5 }), null, 'zeros must be counted');
  assert.equal(numberStatsFromMetadata(int64, { min: -1, max: 5 }), null);
  assert.equal(numberStatsFromMetadata(int64, { min: 1, max: 2 ** 24 + 1 }), null, 'float32 may round');
  assert.equal(numberStatsFromMetadata(int64, { min: null, max: 5 }), null);
  assert.equal(numberStatsFromMetadata({ name: 'x', type: 'DOUBLE' } as SchemaElement, { min: 1, max: 5 }), null);
});
