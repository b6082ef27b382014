import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvScanner } from '../../../src/core/footprint/csvScanner';
import { naSpellings } from '../../../src/core/footprint/fieldClassify';
import { microBlockArray } from '../../../src/core/footprint/microBlocks';
import type { FootprintScanSettings } from '../../../src/core/footprint/workerProtocol';

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
  // one of each UTF-8 length and width (latin-1, UCS-2, UCS-4)
  'Zürich',
  'ÿ',
  'Ā',
  'Дмитрий',
  '李小龍',
  '𝄞 clef',
  'x',
  '12a',
  '1.2.3',
  // digits then something that is neither a point nor an exponent: text, decided in the kernel
  '2019-01-01',
  '2019-01-01 00:46:40',
  '12:30',
  '1/2',
  '12-',
  '1-2',
  '5 x',
  '12 ',
  '12\t',
  '1e',
  '3E+2',
  '12e5',
  // 16 to 19 digits (ids, nanosecond timestamps) and the edges of int64, uint64 and 2^60
  '1700000000000000000',
  '-1700000000000000001',
  '9223372036854775807',
  '-9223372036854775808',
  '-9223372036854775809',
  '9999999999999999999',
  '18446744073709551615',
  '1152921504606846975',
  '1152921504606846976',
  '9007199254740993',
  '0000000000000000000000012',
  // a sign, and text after a number
  '+1-555-0100',
  '+',
  '+.5',
  '+7.25',
  '12 Main St',
  '1.5 kg',
  '1.5 ',
  '7 e5',
  '1.5e3 x',
  // spaces before a number, words that start like inf
  ' 12',
  '  1.5',
  ' -3',
  ' +4e2',
  ' 12 a',
  '  ',
  ' true',
  ' foo',
  ' i',
  'India',
  'info',
  'INF',
  '-inf',
  '-Infinity',
  'infinity ',
  'i',
  '+Italy',
];

// Date-like text of each shape dateSignature knows, and near misses.
const DATES = [
  '2019-01-01',
  '2019/12/31',
  '2019-01-01 00:46:40',
  '2019-01-01T23:59:59Z',
  '2019-01-01T10:20:30.123+01:00',
  '2019-01-01T00:00',
  '2019-13-01',
  '2019-01-32',
  '2019-00-10',
  '2019-01-01 24:00',
  '2019-01-01 00:60:00',
  '2019-01-01x',
  '2019-1-01',
  '2019/01-01',
  '20190-01-01',
  '2019-01-01 00:46:40 ',
  '2019-01-01 00:46:40 PM',
];

type ColumnOptions = { fastPaths: boolean; distinctCap: number; microRows?: number };

/** A scanner of one UTF-8 column, its fast paths on or off. */
function columnScanner(opts: ColumnOptions): CsvScanner {
  return new CsvScanner(
    {
      delimiter: 44,
      ncols: 1,
      naSpellings: naSpellings(true),
      outOfRangeIsText: false,
      encoding: 'utf8',
      microRows: opts.microRows ?? 4,
      firstRow: 0,
      distinctCap: opts.distinctCap,
      maxRows: null,
    },
    opts.fastPaths,
  );
}

/** One-column scans of `values` (each on its own line, after a header-less first line). */
function scanColumn(values: string[], opts: ColumnOptions) {
  const scanner = columnScanner(opts);
  const bytes = Buffer.from(values.join('\n') + '\n');
  scanner.feed(bytes, 0, bytes.length, true, 0);
  const { microStats, distinct } = scanner.finish();
  return {
    microStats: Array.from(microBlockArray(microStats)),
    globals: Array.from(scanner.globals).map(String),
    distinct,
  };
}

// Numbers of every digit count around the eight-at-a-time reads: 1..20 digits before and after a point.
function digitShapes(): string[] {
  const out: string[] = [];
  for (let n = 1; n <= 20; n++) {
    const digits = '9876543210123456789012'.slice(0, n);
    out.push(digits, `-${digits}`, `0.${digits}`, `${digits}.5`, `1.${digits}`, `0.000${digits}`, `${digits}.`);
  }
  return out;
}

describe('kernel fast paths', () => {
  // The kernel classifies plain integers, decimals, bools and text itself; with its fast paths off
  // every field goes to classifyValue (JavaScript). Both must fold the same statistics.
  for (const distinctCap of [1, 1000]) {
    it(`give the statistics classifyValue gives on every shape (distinct cap ${distinctCap})`, () => {
      for (const values of [VALUES, digitShapes()]) {
        const fast = scanColumn(values, { fastPaths: true, distinctCap });
        const slow = scanColumn(values, { fastPaths: false, distinctCap });
        assert.deepEqual(fast, slow);
      }
    });
  }

  it('parse each shape in a column of its own as classifyValue does', () => {
    for (const v of [...VALUES, ...digitShapes()]) {
      const values = [v, v, '7', v];
      assert.deepEqual(
        scanColumn(values, { fastPaths: true, distinctCap: 1 }),
        scanColumn(values, { fastPaths: false, distinctCap: 1 }),
        v,
      );
    }
  });

  it('decide whether float32 keeps each decimal as toPrecision does (7 to 15 digits, edges of float32)', () => {
    // Decided in the kernel without calling JavaScript (float32KeepsFast): one value a column, since
    // the first value float32 does not keep settles the column.
    let s = 12345;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const values = ['16777217', '16777216', '99999.99', '131071.99', '131072.01', '0.1234567', '3.4028235e38'];
    for (let i = 0; i < 400; i++) {
      const digits = 7 + (i % 9);
      const scale = 10 ** Math.floor(next() * 12 - 4);
      const v = (next() * scale).toPrecision(digits);
      values.push(v.includes('e') ? String(Math.floor(next() * 1e7) + 1e7) : v, `-${(next() * 1e5).toFixed(2)}`);
    }
    let kept = 0;
    for (const v of values) {
      const fast = scanColumn([v, v], { fastPaths: true, distinctCap: 1000 });
      assert.deepEqual(fast, scanColumn([v, v], { fastPaths: false, distinctCap: 1000 }), v);
      if (fast.globals[4] === '1') kept++;
    }
    // both answers occur among these values
    assert.ok(kept > 50 && kept < values.length - 50, `float32 kept ${kept} of ${values.length}`);
  });

  it('sign date-like text as dateSignature does (the date shapes column is date-like only when all share one)', () => {
    let dated = 0;
    for (const v of DATES) {
      // the same shape with other digits: the same signature
      const other = v.replace('2019', '2024').replace('01-01', '02-03');
      const fast = scanColumn([v, other, v], { fastPaths: true, distinctCap: 1000 });
      assert.deepEqual(fast, scanColumn([v, other, v], { fastPaths: false, distinctCap: 1000 }), v);
      if (Number(fast.globals[6]) > 0) dated++;
    }
    // A column of one shape keeps its signature (the kernel compares later values with the first's
    // shape); a value of another shape, even of the same length, makes it not date-like.
    const times = Array.from({ length: 300 }, (_, i) => new Date(Date.UTC(2019, 0, 1, 0, 0, i * 7)).toISOString());
    const stamps = times.map((t) => t.slice(0, 19).replace('T', ' '));
    for (const [column, dateLike] of [
      [stamps, true],
      [times, true],
      [stamps.map((t) => t.slice(0, 10)), true],
      [[...stamps, '2019/01/01 00:46:40'], false],
      // the first's shape, values out of range
      [[...stamps, '2019-13-01 00:46:40'], false],
      [[...stamps, '2019-01-00 00:46:40'], false],
      [[...stamps, '2019-01-01 24:46:40'], false],
      [[...stamps, '2019-01-01 00:60:40'], false],
      [[...stamps, '2019-01-01 00:46'], false],
      [['2019-01-01', '2019-01-01 00:46:40'], false],
    ] as const) {
      const fast = scanColumn([...column], { fastPaths: true, distinctCap: 0 });
      assert.deepEqual(fast, scanColumn([...column], { fastPaths: false, distinctCap: 0 }), column[0]);
      assert.equal(Number(fast.globals[6]) > 0, dateLike, `${column[0]} … ${column[column.length - 1]}`);
    }
    assert.equal(dated, 6, 'the first six shapes are dates, the near misses not');
  });

  it('read 16 to 19 significant digits and exponents to the double JavaScript reads (every value)', () => {
    // pandas' to_csv writes floats with up to 17 significant digits (repr); the kernel converts them
    // itself (Eisel-Lemire) instead of asking JavaScript. One value a column: its min is the value.
    let s = 777;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const values = [
      '9007199254740993.0', // halfway between two doubles: to even
      '9007199254740995.0',
      '0.30000000000000004',
      '1.7976931348623157e308', // outside the table: JavaScript
      '2.2250738585072014e-308',
      '4.9406564584124654e-324',
      '1e-5',
      '1E+05',
      '-2.5e-3',
      '.5e2',
      '5.e2',
      '1e0005',
      '1e',
      '1e+',
      '1.5e3x',
      '12345678901234567890.5', // 20 significant digits: JavaScript
      '0.000000000000000000000001234',
      '1234567890123456789e-40',
    ];
    for (let i = 0; i < 600; i++) {
      const x = (next() - 0.5) * 10 ** Math.floor(next() * 80 - 40);
      const repr = String(x);
      values.push(repr, repr.replace(/e([-+])(\d)$/, 'e$10$2'), x.toPrecision(16 + (i % 4)));
      values.push(`${Math.floor(next() * 1e9)}${Math.floor(next() * 1e9)}e${Math.floor(next() * 90 - 45)}`);
    }
    for (const v of values) {
      assert.deepEqual(
        scanColumn([v, v], { fastPaths: true, distinctCap: 1000 }),
        scanColumn([v, v], { fastPaths: false, distinctCap: 1000 }),
        v,
      );
    }
    const parsed = scanColumn(values, { fastPaths: true, distinctCap: 1 });
    assert.deepEqual(parsed, scanColumn(values, { fastPaths: false, distinctCap: 1 }));
  });

  it('find the UTF-8 that does not decode where JavaScript finds it, and report it the same', () => {
    const bad = [
      [0xff],
      [0xc3], // cut short
      [0xc0, 0x80], // overlong
      [0xe0, 0x80, 0x80],
      [0xed, 0xa0, 0x80], // a surrogate
      [0xf4, 0x90, 0x80, 0x80], // past U+10FFFF
      [0xf0, 0x9d, 0x84], // cut short
      [0xe2, 0x28, 0xa1],
    ];
    for (const bytes of bad) {
      for (const before of ['', 'é', 'ab']) {
        const text = Buffer.concat([Buffer.from(`x\nnaïve\n${before}`), Buffer.from(bytes), Buffer.from('z\nok\n')]);
        const runs = [true, false].map((fastPaths) => {
          const scanner = columnScanner({ fastPaths, distinctCap: 1000 });
          scanner.feed(text, 0, text.length, true, 0);
          return { problem: scanner.problem, rows: scanner.rows };
        });
        assert.equal(runs[0].problem?.kind, 'encoding', String(bytes));
        assert.deepEqual(runs[0], runs[1], String(bytes));
      }
    }
  });

  it('a kernel reused for a second scan starts afresh', () => {
    const values = digitShapes();
    const first = scanColumn(values, { fastPaths: true, distinctCap: 8 });
    scanColumn(['x', 'y', '1.5'], { fastPaths: true, distinctCap: 1000 });
    assert.deepEqual(scanColumn(values, { fastPaths: true, distinctCap: 8 }), first);
  });
});

describe('counting a value seen again from its notes', () => {
  const settings = (distinctCap: number): FootprintScanSettings => ({
    delimiter: 44,
    ncols: 3,
    naSpellings: naSpellings(true),
    outOfRangeIsText: false,
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

  /**
   * Scans `bytes` with sets (cap `cap`) and with every field classified and folded in full (cap
   * `fullCap`: 0, no set at all; 1, every set overflows at once); asserts the same statistics, and
   * returns the first scan's distinct values.
   */
  function sameAsClassifyingAll(bytes: Buffer, cap: number, fullCap: number): (string[] | null)[] {
    const full = new CsvScanner(settings(fullCap));
    const noted = new CsvScanner(settings(cap));
    for (const scanner of [full, noted]) scanner.feed(bytes, 0, bytes.length, true, 0);
    const a = full.finish();
    const b = noted.finish();
    assert.deepEqual(Array.from(microBlockArray(b.microStats)), Array.from(microBlockArray(a.microStats)));
    assert.deepEqual(Array.from(noted.globals).map(String), Array.from(full.globals).map(String));
    return b.distinct;
  }

  /**
   * Scans `lines` as sameAsClassifyingAll does (sets of up to 65,536 values), whose column `col` holds
   * thousands of codes and column col + 1 the same quoted: both keep them all, in first-seen order.
   */
  function assertCodesKept(lines: string[], col: number): void {
    const distinct = sameAsClassifyingAll(Buffer.from(lines.join('\n') + '\n'), 65_536, 0);
    const firstSeen = [...new Set(lines.map((l) => l.split(',')[col]))];
    assert.ok(firstSeen.length > 2500);
    assert.deepEqual(distinct[col], firstSeen);
    assert.deepEqual(distinct[col + 1], firstSeen);
  }

  it('gives the same statistics as classifying every field', () => {
    const distinct = sameAsClassifyingAll(text, 1000, 1);
    assert.equal(distinct[1]?.length, new Set(rows.map((r) => r.split(',')[1])).size);
  });

  it("lets an index column's sequence check see every value, repeats and 9-16 byte values included", () => {
    // The scanner's loop counts a repeat of a short value itself (before field()); the first column
    // (a possible index) repeats one value: its second value, a repeat, must still reach the check,
    // which it ends (a step of 0). The other columns repeat values of 1 to 16 bytes, some equal in
    // their first eight bytes, and NA spellings.
    const repeats: string[] = [];
    const others = ['1073741823', '1073741824', '2024-01-31', '2024-01-30', 'NA', '', 'x', '1234567890123456'];
    for (let i = 0; i < 200; i++) repeats.push(`7,${others[i % others.length]},${others[(i * 5) % others.length]}`);
    const bytes = Buffer.from(repeats.join('\n') + '\n');
    const distinct = sameAsClassifyingAll(bytes, 1000, 0);
    assert.deepEqual(distinct[1], ['1073741823', '1073741824', '2024-01-31', '2024-01-30', 'x', '1234567890123456']);
  });

  it("counts a narrow file's integer codes from a bitmap once their set is big, with the same statistics", () => {
    // Column 1: codes that keep appearing (0 up to 1,999), a few written otherwise ('019', '-82', '+22',
    // 20000: not in a bitmap); its set passes 96 values, and from then on a code seen again is counted
    // from the bitmap, marked for those before (the odd ones come late: none may pass for a code seen
    // before). Column 2: 50 codes, counted through its set throughout.
    const lines: string[] = [];
    const odd = ['019', '-82', '+22', '20000', '0', '00'];
    for (let i = 0; i < 6000; i++) {
      const code =
        i > 3000 && i % 97 === 0 ? odd[(i / 97) % odd.length] : String((i * 7919) % Math.min(2000, 100 + (i >> 1)));
      lines.push(`t${i % 3},${code},${(i * 31) % 50}`);
    }
    const bytes = Buffer.from(lines.join('\n') + '\n');
    const distinct = sameAsClassifyingAll(bytes, 65_536, 0);
    const firstSeen = (col: number) => [...new Set(lines.map((l) => l.split(',')[col]))];
    assert.ok(firstSeen(1).length > 1500);
    assert.deepEqual(distinct[1], firstSeen(1));
    assert.deepEqual(distinct[2], firstSeen(2));
  });

  it('counts plain decimals from a bitmap once their set is big, with the same statistics', () => {
    // Column 1: decimals below 4 as pandas writes them (5.6 for 5.60, 7 for 7.000) and with four places
    // (0.0500); other spellings of the same numbers and numbers past the bitmap's span come late, when
    // the bitmap is in use: none may pass for a decimal seen before ('.5' for 0.5, '1e25' and '1.5e1'
    // for 1.25 and 1.5), nor mark one not seen yet ('429496.7297', whose digits wrap around 2^32 to
    // 0.0001's, before the first 0.0001; then '0.', whose key would be next to it). Column 2: the same
    // quoted.
    const odd = ['-0.5', '+1.25', '01.5', '.5', '1.5e1', '1e25', '1.25000', '00.5', '-0.0', '6.5537', '70000.5', '0.0'];
    const values = ['0.5', '1.25', '1.5'];
    for (let i = 0; i < 9000; i++) {
      const n = (i * 7919) % Math.min(4000, 100 + (i >> 1));
      const plain = i % 5 === 0 ? (n / 1000).toFixed(4) : String(n / 1000);
      values.push(i > 4000 && i % 89 === 0 ? odd[(i / 89) % odd.length] : plain);
    }
    values.push('429496.7297', '0.0001', '0.', '0.0001');
    assertCodesKept(
      values.map((value, i) => `t${i % 3},${value},"${value}"`),
      1,
    );
  });

  it('counts ISO dates from a bitmap once their set is big, with the same statistics', () => {
    // Column 0: ISO dates of 30 years, and other spellings and dates out of the bitmap's years; they come
    // late, when the bitmap is in use: none may pass for a date seen before. Column 1: the same quoted.
    const odd = [
      '2000-13-01',
      '2000-01-32',
      '2001-00-15',
      '2000-02-00',
      '2000-1-05',
      '2000/01/05',
      '1800-01-01',
      '2990-12-31',
      '2000-01-0x',
      '2000-01-1/',
    ];
    const lines: string[] = [];
    for (let i = 0; i < 9000; i++) {
      const day = new Date(Date.UTC(2000, 0, 1) + ((i * 104729) % Math.min(11000, 50 + i)) * 86_400_000);
      const date = i > 4000 && i % 83 === 0 ? odd[(i / 83) % odd.length] : day.toISOString().slice(0, 10);
      lines.push(`${date},"${date}",${i % 7}`);
    }
    assertCodesKept(lines, 0);
  });
});
