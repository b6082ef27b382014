// Size arithmetic. The CPython >= 3.12 string sizes cannot be measured here (no 3.12 interpreter on
// this machine): they follow from the 3.12 object layout, where PyASCIIObject lost its 8-byte wstr
// pointer (48 -> 40 bytes header) and PyCompactUnicodeObject its wstr_length too (72 -> 56), each
// plus (length + 1) * kind bytes of data. The 3.11 values are checked against real CPython in
// test/integration/footprint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lowMemoryBlockRows } from '../../../src/core/footprint/csvPlan';
import {
  categoryColumnBytes,
  categoryHashTableBytes,
  pyIntSize,
  pyStrSize,
  pyStrSizeOf,
  pyStrSizesOf,
  rangeIndexBytes,
} from '../../../src/core/footprint/pandasSizes';
import { mangleNames } from '../../../src/core/footprint/csvHeader';

describe('CPython object sizes', () => {
  it('str on 3.11 and 3.12 from the object layout', () => {
    const layout = (header: number, kind: number, len: number) => header + (len + 1) * kind;
    for (const len of [0, 1, 17]) {
      assert.equal(pyStrSize(len, 100, '3.11'), layout(48, 1, len));
      assert.equal(pyStrSize(len, 200, '3.11'), layout(72, 1, len));
      assert.equal(pyStrSize(len, 300, '3.11'), layout(72, 2, len));
      assert.equal(pyStrSize(len, 70000, '3.11'), layout(72, 4, len));
      assert.equal(pyStrSize(len, 100, '3.12'), layout(40, 1, len));
      assert.equal(pyStrSize(len, 200, '3.12'), layout(56, 1, len));
      assert.equal(pyStrSize(len, 300, '3.12'), layout(56, 2, len));
      assert.equal(pyStrSize(len, 70000, '3.12'), layout(56, 4, len));
    }
    assert.equal(pyStrSizeOf('😀a', '3.11'), 76 + 8);
  });
  it('the sum over many strings equals the sum of each (ASCII fast path, Latin-1, BMP, astral)', () => {
    const texts = ['', 'a', 'Paris', 'Zürich', 'São Paulo', 'Ωmega', '東京', '😀a', 'x'.repeat(300), '\u007f'];
    for (const python of ['3.11', '3.12'])
      assert.equal(
        pyStrSizesOf(texts, python),
        texts.reduce((sum, t) => sum + pyStrSizeOf(t, python), 0),
      );
  });
  it('int: 0 is 24 bytes before 3.11, 28 from 3.11; 4 bytes per 30-bit digit', () => {
    assert.equal(pyIntSize(0n, '3.10'), 24);
    assert.equal(pyIntSize(0n, '3.11'), 28);
    assert.equal(pyIntSize(2n ** 30n - 1n), 28);
    assert.equal(pyIntSize(2n ** 30n), 32);
    assert.equal(pyIntSize(-(2n ** 64n)), 36);
  });
  it('RangeIndex', () => {
    assert.equal(rangeIndexBytes({ pandas: '2.2', python: '3.11', pyarrow: true }), 132);
    assert.equal(rangeIndexBytes({ pandas: '2.2', python: '3.10', pyarrow: true }), 128);
  });
});

describe('pandas rules', () => {
  it('low_memory block rows = buffer_lines of the C parser', () => {
    assert.equal(lowMemoryBlockRows(1), 524288);
    assert.equal(lowMemoryBlockRows(8), 65536);
    assert.equal(lowMemoryBlockRows(10), 65536);
    assert.equal(lowMemoryBlockRows(16), 32768);
    assert.equal(lowMemoryBlockRows(3), 262144);
  });
  it('category hash table (measured 8296 bytes for 300 categories, 300 for 10)', () => {
    assert.equal(categoryHashTableBytes(300), 8296);
    assert.equal(categoryHashTableBytes(10), 300);
  });
  it('category columns: sorted first-seen categories skip the hash table', () => {
    const p2 = { pandas: '2.2', python: '3.11', pyarrow: true };
    const p3 = { pandas: '3.0', python: '3.11', pyarrow: true };
    // measured: read_csv(dtype='category') of x,yy,x,NA -> 121 (pandas 2.2), 23 (pandas 3.0)
    assert.equal(categoryColumnBytes(4, 2, 50 + 51, 3, p2, true), 121);
    assert.equal(categoryColumnBytes(4, 2, 50 + 51, 3, p3, true), 23);
    // measured: 300 categories v0..v299 seen unsorted, 900 rows -> 28286 (2.2), 13624 (3.0)
    assert.equal(categoryColumnBytes(900, 300, 15790, 1090, p2, false), 28286);
    assert.equal(categoryColumnBytes(900, 300, 15790, 1090, p3, false), 13624);
  });
  it('column names like pandas', () => {
    assert.deepEqual(mangleNames(['a', 'a', '', 'b', 'a']), ['a', 'a.1', 'Unnamed: 2', 'b', 'a.2']);
  });
});
