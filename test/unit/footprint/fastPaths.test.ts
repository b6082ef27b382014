import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvScanner } from '../../../src/core/footprint/csvScanner';
import {
  classifyFast,
  classifyValue,
  naSpellings,
  parsed,
  plainNumber,
} from '../../../src/core/footprint/fieldClassify';
import type { FootprintScanSettings } from '../../../src/protocol';

// Fields whose shapes sit on the edges of the fast paths: signs, leading zeros, 15/16 significant
// digits, bools and words starting like them, inf, spaces, exponents.
const VALUES = [
  '0',
  '-0',
  '7',
  '007',
  '-12',
  '+3',
  ' 4 ',
  '123456789012345',
  '1234567890123456',
  '000000000000000000001',
  '9223372036854775808',
  '1073741823',
  '1073741824',
  '-1073741824',
  '16777217',
  '1.',
  '.5',
  '-.5',
  '.',
  '-',
  '-.',
  '0.000123',
  '10.05',
  '0.1000000000000000055',
  '3.14159265358979',
  '0.0256639048457146',
  '1e5',
  '1.5E-3',
  '2e',
  'inf',
  '-Infinity',
  'info',
  'True',
  'FALSE',
  'true ',
  'tru',
  'Tokyo',
  'ferry',
  'São Paulo',
  'x',
  '12a',
  '1.2.3',
];

function snapshot(kind: number) {
  return {
    kind,
    value: parsed.value,
    sig: parsed.sigDigits,
    neg: parsed.negative,
    range: parsed.intRange,
    py: parsed.pyIntSize,
  };
}

describe('classification fast paths', () => {
  it('classifyFast agrees with classifyValue on every shape', () => {
    for (const v of VALUES) {
      const buf = Buffer.from(v);
      const slow = snapshot(classifyValue(buf, 0, buf.length));
      const fast = snapshot(classifyFast(buf, 0, buf.length));
      assert.deepEqual(fast, slow, v);
    }
  });

  it('plainNumber parses exactly what classifyValue would, or declines', () => {
    const stop = new Uint8Array(256);
    stop[44] = stop[10] = stop[13] = 1;
    let parsedSome = 0;
    for (const v of VALUES) {
      const buf = Buffer.from(v + ',');
      const end = plainNumber(buf, 0, buf.length, stop);
      if (end < 0) continue;
      parsedSome++;
      assert.equal(end, v.length, v);
      const fast = snapshot(parsed.plainKind);
      assert.deepEqual(fast, snapshot(classifyValue(buf, 0, v.length)), v);
    }
    assert.ok(parsedSome >= 15, `only ${parsedSome} plain numbers parsed`);
  });
});

describe('counting a value seen again from its notes', () => {
  const settings = (distinctCap: number): FootprintScanSettings => ({
    delimiter: 44,
    ncols: 3,
    naSpellings: naSpellings(true),
    encoding: 'utf8',
    microRows: 16,
    firstRow: 0,
    distinctCap,
    maxRows: null,
  });
  const rows: string[] = [];
  for (let i = 0; i < 400; i++) {
    const v = VALUES[(i * 7) % VALUES.length];
    rows.push(`${v},${VALUES[(i * 3) % VALUES.length]},"${v}"`);
  }
  const text = Buffer.from(rows.join('\n') + '\n');

  it('gives the same statistics as classifying every field', () => {
    // cap 1: every set overflows at once, so every field is classified and folded in full
    const full = new CsvScanner(settings(1));
    const noted = new CsvScanner(settings(1000));
    for (const scanner of [full, noted]) scanner.feed(text, 0, text.length, true, 0);
    const a = full.finish();
    const b = noted.finish();
    assert.deepEqual(Array.from(b.microStats), Array.from(a.microStats));
    assert.deepEqual(Array.from(noted.globals).map(String), Array.from(full.globals).map(String));
    assert.equal(b.distinct[1]?.length, new Set(rows.map((r) => r.split(',')[1])).size);
  });
});
