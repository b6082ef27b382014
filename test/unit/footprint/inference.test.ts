import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockType, mergedType } from '../../../src/core/footprint/blockTypes';
import {
  KIND_BOOL,
  KIND_FLOAT,
  KIND_INT,
  KIND_STR,
  classifyValue,
  naSpellings,
  parsed,
} from '../../../src/core/footprint/fieldClassify';
import { K, S } from '../../../src/core/footprint/fieldStats';
import { dateSignature } from '../../../src/core/footprint/dateShape';
import { CsvScanner } from '../../../src/core/footprint/csvScanner';
import { microBlockArray } from '../../../src/core/footprint/microBlocks';

const kind = (text: string) => {
  const b = Buffer.from(text);
  return classifyValue(b, 0, b.length);
};
const p3 = { pandas: '3.0', python: '3.11', pyarrow: true };
const p2 = { pandas: '2.2', python: '3.11', pyarrow: true };
const p1 = { pandas: '1.5', python: '3.11', pyarrow: false };

describe('field inference', () => {
  it('integers: sign, spaces, leading zeros; ranges', () => {
    for (const t of ['1', '-2', '+3', ' 5 ', '00501']) assert.equal(kind(t), KIND_INT, t);
    kind('00501');
    assert.equal(parsed.value, 501);
    kind('9223372036854775808');
    assert.equal(parsed.intRange, 1);
    kind('18446744073709551616');
    assert.equal(parsed.intRange, 2);
    kind('-9223372036854775808');
    assert.equal(parsed.intRange, 0);
    assert.equal(parsed.pyIntSize, 36);
  });
  it('floats: decimals, exponents, inf; not hex, not 1,000, not 5%', () => {
    for (const t of ['1.5', '.5', '1.', '1e5', '-1E-3', 'inf', '-Infinity', '+INF', ' 2.5 '])
      assert.equal(kind(t), KIND_FLOAT, t);
    for (const t of ['0x10', '1,000', '5%', '1e', 'e5', '.', '1d5', '1_000', 'NAN', 'abc', '- 1'])
      assert.equal(kind(t), KIND_STR, t);
    kind('0.1');
    assert.equal(parsed.value, 0.1);
    kind('123456789.123456789');
    assert.equal(parsed.value, Number('123456789.123456789'));
    assert.equal(parsed.sigDigits, 18);
  });
  it('bools are exact case-insensitive true/false only', () => {
    for (const t of ['True', 'false', 'TRUE']) assert.equal(kind(t), KIND_BOOL, t);
    for (const t of [' True', 'yes', 'T']) assert.equal(kind(t), KIND_STR, t);
  });
  it('NA spellings per pandas version', () => {
    // one field in a one-column scan: NA or not
    const is = (pandas2: boolean, t: string) => {
      const scanner = new CsvScanner({
        delimiter: 9,
        ncols: 1,
        naSpellings: naSpellings(pandas2),
        outOfRangeIsText: false,
        encoding: 'utf8',
        microRows: 1,
        firstRow: 0,
        distinctCap: 10,
        maxRows: null,
      });
      const bytes = Buffer.from(`${t}\n`);
      scanner.feed(bytes, 0, bytes.length, true, 0);
      return microBlockArray(scanner.finish().microStats)[S.NA] === 1;
    };
    for (const t of ['NA', 'N/A', '#N/A N/A', '-1.#QNAN', 'null', 'nan', '<NA>']) assert.ok(is(true, t), t);
    for (const t of ['NAN', 'Nan', 'none', ' NA', 'NA ', 'NA?']) assert.ok(!is(true, t), t);
    assert.ok(is(true, 'None'));
    assert.ok(!is(false, 'None'));
  });
  it('date shapes', () => {
    const sig = (t: string) => dateSignature(Buffer.from(t), 0, t.length);
    assert.ok(sig('2024-01-31') > 0);
    assert.equal(sig('2024-01-31'), sig('1999-12-01'));
    assert.notEqual(sig('2024-01-31'), sig('2024-01-31 10:00:00'));
    assert.equal(sig('2024-13-01'), 0);
    assert.equal(sig('hello world'), 0);
  });
});

function block(counts: Partial<Record<keyof typeof S, number>>): Float64Array {
  const st = new Float64Array(K);
  for (const [k, v] of Object.entries(counts)) st[S[k as keyof typeof S]] = v!;
  return st;
}

describe('block dtypes and the low_memory merge', () => {
  it('decides a block like the C parser', () => {
    assert.equal(blockType(block({ INT64: 3 }), 0, p3), 'int64');
    assert.equal(blockType(block({ INT64: 3, NA: 1 }), 0, p3), 'float64');
    assert.equal(blockType(block({ NA: 2 }), 0, p3), 'float64');
    assert.equal(blockType(block({ UINT_ONLY: 1, INT64: 2 }), 0, p3), 'uint64');
    assert.equal(blockType(block({ UINT_ONLY: 1, NEG: 1, INT64: 1 }), 0, p3), 'strraw');
    assert.equal(blockType(block({ BIGINT: 1, INT64: 1 }), 0, p3), 'pyint');
    assert.equal(blockType(block({ BIGINT: 1, INT64: 1 }), 0, p2), 'str');
    assert.equal(blockType(block({ BOOL: 2, NA: 1 }), 0, p3), 'objbool');
    assert.equal(blockType(block({ BOOL: 2, INT64: 1 }), 0, p3), 'str');
  });
  it('merges blocks per pandas version', () => {
    assert.deepEqual(mergedType(['int64', 'float64'], p3), { type: 'float64', warn: false });
    assert.deepEqual(mergedType(['int64', 'uint64'], p3), { type: 'float64', warn: false });
    assert.deepEqual(mergedType(['int64', 'str'], p3), { type: 'object', warn: true });
    assert.deepEqual(mergedType(['bool', 'int64'], p2), { type: 'object', warn: true });
    assert.deepEqual(mergedType(['bool', 'int64'], p1), { type: 'int64', warn: false });
    assert.deepEqual(mergedType(['str', 'str'], p3), { type: 'str', warn: false });
  });
});
