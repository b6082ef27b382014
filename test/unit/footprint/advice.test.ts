import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDowncast, smallestIntDtype, suggestColumn } from '../../../src/core/footprint/advice';
import { column, int, pandas22, pandas30, result } from './adviceFixtures';

test('smallest integer type holds the bounds inclusively and prefers signed on ties', () => {
  assert.equal(smallestIntDtype(-128, 127), 'int8');
  assert.equal(smallestIntDtype(0, 127), 'int8');
  assert.equal(smallestIntDtype(0, 128), 'uint8');
  assert.equal(smallestIntDtype(0, 255), 'uint8');
  assert.equal(smallestIntDtype(-1, 128), 'int16');
  assert.equal(smallestIntDtype(-129, 0), 'int16');
  assert.equal(smallestIntDtype(0, 65535), 'uint16');
  assert.equal(smallestIntDtype(-32769, 0), 'int32');
  assert.equal(smallestIntDtype(0, 4294967295), 'uint32');
  assert.equal(smallestIntDtype(0, 4294967296), null);
});

test('int64 columns go to the smallest numpy integer, bytes before and after stated', () => {
  const s = suggestColumn(int('age', 1000, 0, 99), 1000, pandas22, 'read_csv');
  assert.deepEqual([s?.kind, s?.dtype, s?.bytesBefore, s?.bytes], ['integer', 'int8', 8000, 1000]);
  assert.match(s!.reason, /0\.\.99/);
  assert.equal(suggestColumn(int('id', 10, -5, 40000), 10, pandas22, 'read_csv')?.dtype, 'int32');
  assert.equal(suggestColumn(int('big', 10, 0, 2 ** 40), 10, pandas22, 'read_csv'), null);
});

test('whole numbers with NA become nullable integers, unless Int64 would be bigger than float64', () => {
  const withNa = column({
    name: 'n',
    dtype: 'float64',
    bytes: 8 * 500,
    nulls: 20,
    min: 0,
    max: 40000,
    allIntegral: true,
    valueKind: 'integer',
  });
  const s = suggestColumn(withNa, 500, pandas22, 'read_csv');
  assert.deepEqual([s?.kind, s?.dtype, s?.bytes], ['nullable-integer', 'UInt16', 3 * 500]);
  assert.match(s!.reason, /20 NA/);
  const negative = { ...withNa, min: -3, max: 3 };
  assert.equal(suggestColumn(negative, 500, pandas22, 'read_csv')?.dtype, 'Int8');
  const huge = { ...withNa, min: -(2 ** 40), max: 2 ** 40 };
  assert.equal(suggestColumn(huge, 500, pandas22, 'read_csv'), null, 'Int64 (9 bytes) saves nothing over float64');
  const hugeButF32 = { ...huge, float32: { maxRelativeError: 0, preservesWrittenPrecision: true } };
  assert.equal(suggestColumn(hugeButF32, 500, pandas22, 'read_csv')?.dtype, 'float32');
});

test('float32 only when written precision survives, and the error is stated', () => {
  const f = column({
    name: 'price',
    dtype: 'float64',
    bytes: 800,
    valueKind: 'float',
    float32: { maxRelativeError: 2.4e-8, preservesWrittenPrecision: true },
  });
  const s = suggestColumn(f, 100, pandas22, 'read_csv');
  assert.equal(s?.dtype, 'float32');
  assert.equal(s?.bytes, 400);
  assert.match(s!.reason, /2\.4e-8/);
  const lossy = { ...f, float32: { maxRelativeError: 3e-8, preservesWrittenPrecision: false } };
  assert.equal(suggestColumn(lossy, 100, pandas22, 'read_csv'), null);
  assert.equal(suggestColumn({ ...f, float32: null }, 100, pandas22, 'read_csv'), null);
});

test('strings become category only when it is smaller, at the bytes the scan states', () => {
  const city = column({
    name: 'city',
    dtype: 'object',
    valueKind: 'string',
    bytes: 60_000,
    distinct: 40,
    categoryBytes: 5_000,
  });
  assert.deepEqual(suggestColumn(city, 1000, pandas22, 'read_csv')?.bytes, 5_000);
  const arrow = { ...city, dtype: 'str' };
  assert.equal(suggestColumn(arrow, 1000, pandas30, 'read_csv')?.bytes, 5_000);
  assert.match(suggestColumn(arrow, 1000, pandas30, 'read_csv')!.reason, /40 distinct values/);
  assert.equal(suggestColumn({ ...city, categoryBytes: 70_000 }, 1000, pandas22, 'read_csv'), null);
  assert.equal(
    suggestColumn({ ...city, categoryBytes: null, distinct: null, highCardinality: true }, 1000, pandas22, 'read_csv'),
    null,
  );
});

test('date-like strings are parsed (8 bytes a row) unless category is smaller still', () => {
  const day = column({
    name: 'day',
    dtype: 'object',
    valueKind: 'string',
    bytes: 59_000,
    dateLike: true,
    distinct: 900,
    categoryBytes: 100_000,
  });
  const s = suggestColumn(day, 1000, pandas22, 'read_csv');
  assert.deepEqual([s?.kind, s?.dtype, s?.bytes], ['datetime', 'datetime64[ns]', 8000]);
  const fewDays = { ...day, distinct: 3, categoryBytes: 1300 };
  assert.equal(suggestColumn(fewDays, 1000, pandas22, 'read_csv')?.kind, 'category');
});

test('bool with NA becomes nullable boolean; plain bool stays', () => {
  const flag = column({
    name: 'ok',
    dtype: 'object',
    valueKind: 'bool',
    bytes: 8 * 100 + 28 * 90 + 24 * 10,
    nulls: 10,
  });
  assert.deepEqual(suggestColumn(flag, 100, pandas22, 'read_csv')?.bytes, 200);
  assert.equal(suggestColumn({ ...flag, dtype: 'bool', bytes: 100, nulls: 0 }, 100, pandas22, 'read_csv'), null);
  // read_csv(dtype='boolean') raises "tRuE cannot be cast to bool": no suggestion that would fail
  assert.equal(suggestColumn({ ...flag, oddBoolSpellings: ['tRuE'] }, 100, pandas22, 'read_csv'), null);
});

test('the plan adds up: index plus each planned column, dtype and parse_dates split', () => {
  const cols = [
    int('age', 1000, 0, 99),
    column({ name: 'day', dtype: 'object', valueKind: 'string', bytes: 59_000, dateLike: true }),
    column({ name: 'note', dtype: 'object', valueKind: 'string', bytes: 77_000, highCardinality: true }),
  ];
  const plan = planDowncast(result(cols, 1000));
  assert.equal(plan.totalBytes, 132 + 8000 + 59_000 + 77_000);
  assert.equal(plan.suggestedTotalBytes, 132 + 1000 + 8000 + 77_000);
  assert.deepEqual(plan.dtype, { age: 'int8' });
  assert.deepEqual(plan.parseDates, ['day']);
  assert.equal(plan.columns[2].suggestion, null);
});

test('mostly-zero columns get a sparse figure: non-zero values plus 4-byte positions', () => {
  const plan = planDowncast(result([int('clicks', 1000, 0, 50, 950), int('dense', 1000, 0, 50, 10)], 1000));
  assert.equal(plan.sparse.length, 1);
  assert.equal(plan.sparse[0].name, 'clicks');
  assert.equal(plan.sparse[0].sparseDtype, 'Sparse[int8, 0]');
  assert.equal(plan.sparse[0].bytesBefore, 1000);
  assert.equal(plan.sparse[0].bytes, 50 * (1 + 4));
});

test('an empty frame gets no suggestions', () => {
  const plan = planDowncast(result([int('a', 0, 0, 0)], 0));
  assert.equal(plan.columns[0].suggestion, null);
  assert.equal(plan.suggestedTotalBytes, plan.totalBytes);
});
