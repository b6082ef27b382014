// formatCount groups whole numbers itself (ICU's number formatting costs a CLI call 15-30 ms to set
// up): every figure must read exactly as toLocaleString('en-US') wrote it before.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount } from '../../../src/core/format';

describe('formatCount', () => {
  it("writes what toLocaleString('en-US') writes, digit for digit", () => {
    const values = [
      0,
      -0,
      1,
      -1,
      7,
      12,
      999,
      1000,
      -1000,
      1001,
      9999,
      10000,
      99999,
      100000,
      123456,
      999999,
      1000000,
      -1234567,
      12345678,
      2 ** 31,
      -(2 ** 31),
      2 ** 32 + 5,
      Number.MAX_SAFE_INTEGER,
      Number.MIN_SAFE_INTEGER,
      // left to toLocaleString: the same text by definition, but they must not throw or be mangled
      2 ** 53,
      2 ** 63,
      1e21,
      -1e21,
      1.5,
      -2.25,
      1234.5678,
      0.0004,
      NaN,
      Infinity,
      -Infinity,
    ];
    for (let i = 0; i < 2000; i++) values.push(Math.round((Math.random() - 0.5) * 10 ** (1 + (i % 16))));
    for (const v of values) assert.equal(formatCount(v), v.toLocaleString('en-US'), `for ${v}`);
  });
});
