// What a scan holds for a wide file: its kernel's memory (the distinct values' sets, bounded by the
// scan's budget) and its micro-block statistics (kept sparse), with the statistics unchanged by that.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../src/core/random';
import { CsvScanner } from '../../../src/core/footprint/csvScanner';
import { naSpellings } from '../../../src/core/footprint/fieldClassify';
import { K } from '../../../src/core/footprint/fieldStats';
import { MicroBlockLog, microBlock, microBlockArray } from '../../../src/core/footprint/microBlocks';

const COLUMNS = 200;

/** ~16 MB: 100 columns of three-decimal measurements (nearly every value new) and 100 of codes 0-999. */
function wideRows(rows: number): Buffer {
  const next = seededRandom(11);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < COLUMNS; c++) cells.push(c % 2 ? String(Math.floor(next() * 1000)) : (next() * 100).toFixed(3));
    lines.push(cells.join(','));
  }
  return Buffer.from(lines.join('\n') + '\n');
}

describe('scan memory', () => {
  it("bounds a wide file's kernel memory and keeps its micro-blocks sparse", () => {
    const bytes = wideRows(15_000);
    const scanner = new CsvScanner({
      delimiter: 44,
      ncols: COLUMNS,
      naSpellings: naSpellings(true),
      outOfRangeIsText: false,
      encoding: 'utf8',
      // pandas' low_memory blocks of 4,096 rows at 200 columns, in micro-blocks of 128
      microRows: 128,
      firstRow: 0,
      distinctCap: 65_536,
      maxRows: null,
    });
    assert.equal(scanner.feed(bytes, 0, bytes.length, true, 0), bytes.length);
    const { microStats, distinct } = scanner.finish();
    assert.equal(scanner.rows, 15_000);
    // 1.5 million measurements, nearly all distinct: the sets give them up within the budget (with
    // 512 Ki entries the kernel took 120 MB here)
    assert.ok(scanner.kernelBytes < 64 << 20, `kernel memory ${scanner.kernelBytes} bytes`);
    assert.ok(
      distinct.every((d, c) => (c % 2 ? d?.length === 1000 : d === null)),
      'measurements given up, codes kept',
    );
    // A measurement column has 4 non-zero statistics a block (floats, their ASCII count, bytes and
    // UTF-8 bytes), a code column 5 or 6 (int64, getsizeof, the same three, zeros): 168 bytes each, dense.
    const blocks = Math.ceil(15_000 / 128);
    assert.equal(microStats.valueAt.length, blocks + 1);
    assert.ok(microStats.values.length <= blocks * COLUMNS * 6, `${microStats.values.length} values kept`);
    const all = microBlockArray(microStats);
    const sum = (k: number, parity: number) => {
      let total = 0;
      for (let i = 0; i < all.length; i += K) if (((i / K) % COLUMNS) % 2 === parity) total += all[i + k];
      return total;
    };
    // every row of every column counted once: the floats (FLOAT, 5) and the int64s (INT64, 1)
    assert.equal(sum(5, 0), 15_000 * 100);
    assert.equal(sum(1, 1), 15_000 * 100);
  });

  it('gives back exactly the statistics it was given, zeros and all', () => {
    const ncols = 3;
    const log = new MicroBlockLog(ncols);
    const blocks: Float64Array[] = [];
    let s = 5;
    for (let m = 0; m < 40; m++) {
      const block = new Float64Array(ncols * K);
      for (let i = 0; i < block.length; i++) {
        s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
        // mostly zeros; the rest whole numbers past 2^32 too, as byte sums can be
        if (s % 5 === 0) block[i] = (s % 1000) * (m % 7 === 0 ? 2 ** 33 : 1) + 1;
      }
      // the first and last statistics of a column, and a block with nothing at all
      if (m === 3) block.fill(0);
      if (m === 4) block[K - 1] = 7;
      blocks.push(block);
      log.push(block, m + 1, m * 100);
    }
    const stats = log.all();
    assert.deepEqual(
      Array.from(microBlockArray(stats)),
      blocks.flatMap((b) => Array.from(b)),
    );
    blocks.forEach((b, m) => assert.deepEqual(Array.from(microBlock(stats, m)), Array.from(b)));
    assert.deepEqual(log.rowCounts.slice(0, 3), [1, 2, 3]);
    assert.equal(log.starts[39], 3900);
  });
});
