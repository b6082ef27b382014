// How an exact scan splits a big file into ranges: they shrink as the file runs out, cover it once,
// and stay small where their micro-block statistics would outweigh their bytes (many columns).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IN_THREAD_BYTES, MICRO_STATS_BUDGET, maxRangeBytes, rangeBounds } from '../../../src/core/footprint/csvExact';
import { lowMemoryBlockRows, microRowsFor } from '../../../src/core/footprint/csvPlan';
import { K } from '../../../src/core/footprint/fieldStats';

const MiB = 1 << 20;
const microRows = (ncols: number) => microRowsFor(ncols, lowMemoryBlockRows(ncols));

function assertCovers(bounds: [number, number][], start: number, end: number): void {
  assert.equal(bounds[0][0], start);
  assert.equal(bounds.at(-1)![1], end);
  for (let i = 1; i < bounds.length; i++)
    assert.equal(bounds[i][0], bounds[i - 1][1], `range ${i} starts where ${i - 1} ends`);
}

describe('exact scan ranges', () => {
  it('shrink as the file runs out, each a third of what is left with two workers', () => {
    // the mixed 584 MB bench file after its 16 MiB probe: 8 columns
    const start = 16 * MiB;
    const end = 584_000_000;
    const bounds = rangeBounds(start, end, 2, maxRangeBytes(microRows(8), end - start, 2));
    assertCovers(bounds, start, end);
    const sizes = bounds.map(([s, e]) => e - s);
    assert.equal(sizes[0], Math.ceil((end - start) / 3));
    for (let i = 1; i < sizes.length; i++) assert.ok(sizes[i] <= sizes[i - 1] + IN_THREAD_BYTES / 2, `range ${i}`);
    // none below the in-thread size but the last, which is never a sliver of under half of it
    for (const size of sizes.slice(0, -1)) assert.ok(size >= IN_THREAD_BYTES, `${size}`);
    assert.ok(sizes.at(-1)! >= IN_THREAD_BYTES / 2, `last ${sizes.at(-1)}`);
    assert.ok(bounds.length < 16, `${bounds.length} ranges, fewer than sixteen equal ones`);
  });

  it('are at most 256 MiB', () => {
    const bounds = rangeBounds(0, 10e9, 2, maxRangeBytes(microRows(11), 10e9, 2));
    assertCovers(bounds, 0, 10e9);
    assert.equal(bounds[0][1], 256 * MiB);
  });

  it('of a file with many columns are no bigger than sixteen equal ones, or within the statistics budget', () => {
    const dataBytes = 2e9;
    const equalShare = Math.max(IN_THREAD_BYTES, Math.ceil(dataBytes / 16));
    for (const ncols of [300, 1000, 5000]) {
      const max = maxRangeBytes(microRows(ncols), dataBytes, 2);
      const bounds = rangeBounds(0, dataBytes, 2, max);
      assertCovers(bounds, 0, dataBytes);
      const statsPerByte = (K * 8) / microRows(ncols);
      for (const [s, e] of bounds) {
        // (a last sliver of under half the in-thread size may join a range)
        assert.ok(
          e - s <= Math.max(equalShare, MICRO_STATS_BUDGET / statsPerByte) + IN_THREAD_BYTES / 2,
          `${ncols} columns: a range of ${e - s} bytes`,
        );
      }
    }
  });

  it('start and end at whole byte offsets, whatever the columns (reads take no fractional position)', () => {
    // 200 columns: micro-blocks of 128 rows, a statistics budget of 25.5 MB a range (was 25,565,276.95)
    for (const ncols of [20, 64, 200, 1000, 7000]) {
      for (const dataBytes of [150e6, 700e6 + 3, 2e9 + 1]) {
        const bounds = rangeBounds(16 * MiB, dataBytes, 2, maxRangeBytes(microRows(ncols), dataBytes, 2));
        assertCovers(bounds, 16 * MiB, dataBytes);
        for (const [s, e] of bounds)
          assert.ok(Number.isInteger(s) && Number.isInteger(e), `${ncols} columns: ${s}-${e}`);
      }
    }
  });

  it('leave a file part smaller than the in-thread size in one range', () => {
    assert.deepEqual(rangeBounds(100, 100 + 5 * MiB, 2, 256 * MiB), [[100, 100 + 5 * MiB]]);
  });
});
