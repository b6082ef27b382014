import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CsvScanner } from '../../../src/core/footprint/csvScanner';
import { G, GK, K, S } from '../../../src/core/footprint/fieldStats';
import { naSpellings } from '../../../src/core/footprint/fieldClassify';
import { knownDistinct as packKnown } from '../../../src/core/footprint/distinct';
import { microBlockArray } from '../../../src/core/footprint/microBlocks';
import type { FootprintScanSettings } from '../../../src/core/footprint/workerProtocol';

function settings(ncols: number, extra: Partial<FootprintScanSettings> = {}): FootprintScanSettings {
  return {
    delimiter: 44,
    ncols,
    naSpellings: naSpellings(true),
    outOfRangeIsText: false,
    encoding: 'utf8',
    microRows: 1 << 20,
    firstRow: 0,
    distinctCap: 65536,
    maxRows: null,
    ...extra,
  };
}

/** Feeds `text` in pieces of `step` bytes, carrying the unconsumed tail like rangeScan does. */
function scan(text: string | Buffer, ncols: number, step = Infinity, extra: Partial<FootprintScanSettings> = {}) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const scanner = new CsvScanner(settings(ncols, extra));
  let base = 0;
  let tail = Buffer.alloc(0);
  for (let at = 0; at < bytes.length || at === 0; at += step) {
    const piece = bytes.subarray(at, Math.min(bytes.length, at + step));
    const buf = Buffer.concat([tail, piece]);
    const eof = at + step >= bytes.length;
    const used = scanner.feed(buf, 0, buf.length, eof, base);
    base += used;
    tail = buf.subarray(used);
    if (eof || scanner.problem) break;
  }
  const out = scanner.finish();
  const stats = new Float64Array(ncols * K);
  microBlockArray(out.microStats).forEach((v, i) => (stats[i % (ncols * K)] += v));
  return { scanner, stats, distinct: out.distinct, col: (c: number, s: number) => stats[c * K + s] };
}

describe('CSV tokenizer', () => {
  const text = 'a,"b, with comma","multi\nline ""quoted""",\r\n\r\n  \n1,2.5,x,True\r3,,"",false\n4,NA,y\n';
  it('splits records like pandas: quotes, doubled quotes, CRLF, CR, blank and whitespace lines', () => {
    const { scanner, col, distinct } = scan(text, 4);
    assert.equal(scanner.rows, 4);
    assert.equal(scanner.problem, null);
    assert.equal(col(0, S.STR), 1);
    assert.equal(col(0, S.INT64), 3);
    assert.equal(col(1, S.FLOAT), 1);
    assert.equal(col(1, S.NA), 2, 'empty and NA');
    assert.equal(col(2, S.NA), 1, 'quoted empty is NA');
    assert.equal(col(3, S.NA), 2, 'trailing empty field and missing field');
    assert.deepEqual(distinct[2], ['multi\nline "quoted"', 'x', 'y']);
  });
  it('gives the same statistics whatever the buffer boundaries', () => {
    const whole = scan(text, 4);
    for (const step of [1, 2, 3, 5, 7, 16]) {
      const pieces = scan(text, 4, step);
      assert.equal(pieces.scanner.rows, whole.scanner.rows, `step ${step}`);
      assert.deepEqual([...pieces.stats], [...whole.stats], `step ${step}`);
    }
  });
  it('counts codes from their bitmaps the same whatever the buffer boundaries', () => {
    // Decimals of one and two places (100.3 and 100.34 both), integer codes and ISO dates: past a hundred
    // values each column counts a value seen again from its bitmap, and a boundary inside a field must
    // not pass for the end of a shorter value.
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const n = (i * 7919) % 1500;
      const day = new Date(Date.UTC(2020, 0, 1) + (n % 400) * 86_400_000).toISOString().slice(0, 10);
      lines.push(`${String(100 + n / 100)},${n},${day}`);
    }
    const codes = lines.join('\n') + '\n';
    const whole = scan(codes, 3);
    assert.equal(whole.scanner.rows, 3000);
    for (const step of [5, 7, 11, 64, 1000]) {
      const pieces = scan(codes, 3, step);
      assert.deepEqual([...pieces.stats], [...whole.stats], `step ${step}`);
      assert.deepEqual(pieces.distinct, whole.distinct, `step ${step}`);
    }
  });
  it("counts an empty field as NA, which ends an index column's arithmetic sequence", () => {
    // (an empty unquoted field is folded without the general field path)
    const seq = (t: string) => scan(t, 2).scanner.globals[0 * GK + G.SEQ_OK];
    assert.equal(seq('1,a\n2,b\n3,c\n'), 1);
    const gap = scan('1,a\n,b\n3,\n', 2);
    assert.equal(gap.scanner.globals[0 * GK + G.SEQ_OK], 0);
    assert.equal(gap.col(0, S.NA), 1);
    assert.equal(gap.col(1, S.NA), 1);
    assert.equal(gap.col(1, S.NA_LEN), 0);
  });
  it('counts a run of empty fields field by field, whatever the buffer boundaries', () => {
    // (a run of separators is folded without the field loop)
    const sparse = '1,,,\n,,,x\n2,,y,\n,,,\n3,,,';
    const whole = scan(sparse, 4);
    assert.equal(whole.scanner.rows, 5);
    assert.equal(whole.scanner.problem, null);
    assert.deepEqual(
      [0, 1, 2, 3].map((c) => whole.col(c, S.NA)),
      [2, 5, 4, 4],
    );
    for (const step of [1, 2, 3, 5])
      assert.deepEqual([...scan(sparse, 4, step).stats], [...whole.stats], `step ${step}`);
    assert.deepEqual(scan('1,,\n2,,,,\n', 3).scanner.problem, { kind: 'ragged', offset: 4, expected: 3, saw: 5 });
  });
  it('reports ragged rows with the offset of the record', () => {
    const { scanner } = scan('1,2\n3,4,5\n', 2);
    assert.deepEqual(scanner.problem, { kind: 'ragged', offset: 4, expected: 2, saw: 3 });
  });
  it('reports an unterminated quote at end of file', () => {
    assert.equal(scan('1,"abc\n2,3\n', 2).scanner.problem?.kind, 'eof-in-quotes');
  });
  it('rejects invalid UTF-8 and measures each CPython width class', () => {
    assert.equal(scan(Buffer.from([0x61, 0x0a, 0x63, 0xe9, 0x0a]), 1).scanner.problem?.kind, 'encoding');
    const { col } = scan('ab\ncafé\nΩx\n😀\n', 1);
    assert.deepEqual([col(0, S.ASCII_N), col(0, S.ASCII_LEN), col(0, S.LATIN1_N), col(0, S.LATIN1_LEN)], [1, 2, 1, 4]);
    assert.deepEqual([col(0, S.UCS2_N), col(0, S.UCS2_LEN), col(0, S.UCS4_N), col(0, S.UCS4_LEN)], [1, 2, 1, 1]);
    assert.equal(col(0, S.UTF8), 2 + 5 + 3 + 4);
  });
  it('decodes latin-1 without errors', () => {
    const { scanner, col } = scan(Buffer.from('caf\xe9\n', 'latin1'), 1, Infinity, { encoding: 'latin1' });
    assert.equal(scanner.problem, null);
    assert.deepEqual([col(0, S.LATIN1_N), col(0, S.LATIN1_LEN), col(0, S.UTF8)], [1, 4, 5]);
  });
  it("lists each column's distinct values in first-seen order, decoded in the file's encoding", () => {
    // column 0 all ASCII (cut from one string), column 1 with UTF-8 values, column 2 numbers and NA
    const rows = ['b,José,1', 'a,x,NA', 'b,Дмитрий,2.5', 'ccc,José,1', 'a,😀,', 'dd,x,3'];
    const { distinct } = scan(rows.join('\n') + '\n', 3);
    assert.deepEqual(distinct, [
      ['b', 'a', 'ccc', 'dd'],
      ['José', 'x', 'Дмитрий', '😀'],
      ['1', '2.5', '3'],
    ]);
    for (const encoding of ['latin1', 'cp1252'] as const) {
      const bytes = Buffer.from('caf\xe9,a\nx,\x80b\ncaf\xe9,a\n', 'latin1');
      const euro = encoding === 'cp1252' ? '\u20acb' : '\x80b';
      assert.deepEqual(
        scan(bytes, 2, Infinity, { encoding }).distinct,
        [
          ['café', 'x'],
          ['a', euro],
        ],
        encoding,
      );
    }
  });
  it('leaves the distinct values out when asked for the statistics only', () => {
    const scanner = new CsvScanner(settings(2));
    const bytes = Buffer.from('a,1\nb,2\n');
    scanner.feed(bytes, 0, bytes.length, true, 0);
    const out = scanner.finish(false);
    assert.deepEqual(out.distinct, []);
    assert.equal(scanner.rows, 2);
    assert.equal(microBlockArray(out.microStats).length, 2 * K);
  });
  it('bounds the distinct values a scan holds for wide files: the growing columns count as high-cardinality, the small ones stay exact', () => {
    // 40 columns of a new value every row (800,000 together, past the 256 Ki budget) and two of 10 values
    const cols = 42;
    const lines: string[] = [];
    for (let r = 0; r < 20_000; r++)
      lines.push([...Array.from({ length: 40 }, (_, c) => `v${c}_${r}`), `a${r % 10}`, `b${(r * 7) % 10}`].join(','));
    const { distinct } = scan(lines.join('\n') + '\n', cols);
    assert.deepEqual(
      distinct.slice(0, 40).map((d) => d?.length ?? null),
      new Array(40).fill(null),
      'the growing columns are given up',
    );
    assert.deepEqual(
      distinct[40],
      Array.from({ length: 10 }, (_, i) => `a${i}`),
    );
    assert.deepEqual(
      distinct[41],
      Array.from({ length: 10 }, (_, i) => `b${(i * 7) % 10}`),
    );
  });
  it("sends [] for a column whose set holds exactly the first range's values, and its list otherwise", () => {
    const values = Array.from({ length: 300 }, (_, i) => `v${i}`);
    // column 0: the same values in another order; 1: one more; 2: one fewer; 3: one other in one's place
    const rows = values.map((v, i) => {
      const last = i === values.length - 1;
      return [values[values.length - 1 - i], v, last ? values[0] : v, last ? 'other' : v].join(',');
    });
    rows.push(`${values[0]},extra,${values[1]},${values[1]}`);
    // as the engine packs the first range's lists (300 values: past the 256 it passes on)
    const knownDistinct = packKnown([values, values, values, values]);
    assert.equal(knownDistinct.length, 4);
    const { distinct } = scan(rows.join('\n') + '\n', 4, Infinity, { knownDistinct });
    assert.deepEqual(distinct[0], []);
    assert.deepEqual(distinct[1], [...values, 'extra']);
    assert.deepEqual(distinct[2], values.slice(0, -1));
    assert.deepEqual(distinct[3], [...values.slice(0, -1), 'other']);
    // a column past the cap is null whatever was known
    const capped = scan(rows.join('\n') + '\n', 4, Infinity, { knownDistinct, distinctCap: 100 });
    assert.deepEqual(capped.distinct, [null, null, null, null]);
  });
  it('folds a value seen before the same whether its column counts repeats or folds them at once', () => {
    // Small micro-blocks see most of 40 distinct values once: their columns fold them in at once
    // (from the second block on); one block of all rows counts them. Bools repeat and stay counted.
    const words = Array.from({ length: 40 }, (_, i) => (i % 7 === 0 ? `caf\u00e9${i}` : `w${'x'.repeat(i % 9)}${i}`));
    const lines: string[] = [];
    for (let r = 0, k = 1; r < 600; r++, k = (k * 37 + 11) % 997)
      lines.push(`${words[k % 40]},${(k % 40) / 8 - 2},${k % 40},${k % 2 === 0 ? 'True' : 'False'}`);
    const text = lines.join('\n') + '\n';
    const counted = scan(text, 4, Infinity, { microRows: 1 << 20 });
    const folded = scan(text, 4, 1000, { microRows: 16 });
    assert.deepEqual([...folded.stats], [...counted.stats]);
    assert.deepEqual(folded.scanner.globals, counted.scanner.globals);
    assert.equal(counted.col(0, S.STR), 600);
    assert.equal(counted.col(3, S.BOOL), 600);
  });
  it('stops at maxRows and flushes micro-blocks aligned to the absolute row', () => {
    const body = Array.from({ length: 10 }, (_, i) => String(i)).join('\n') + '\n';
    const s = scan(body, 1, Infinity, { maxRows: 7 });
    assert.equal(s.scanner.rows, 7);
    const aligned = new CsvScanner(settings(1, { microRows: 4, firstRow: 6 }));
    aligned.feed(Buffer.from(body), 0, body.length, true, 0);
    aligned.finish();
    assert.deepEqual(aligned.microRowCounts, [2, 4, 4]);
  });
});
