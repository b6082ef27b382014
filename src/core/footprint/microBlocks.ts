/**
 * The micro-blocks of a CSV scan: statistics of each run of `microRows` rows (aligned to absolute row
 * numbers when the first row is known), so that pandas' low_memory blocks can be rebuilt from them
 * whatever row a byte range started at. The scan kernel fills a block; this log keeps the finished ones.
 *
 * They are kept sparse: of a column's K statistics, a block of numbers has 4 to 6 non-zero (a float:
 * its count, its ASCII count, bytes and UTF-8 bytes). A file of 200 columns has micro-blocks of 128
 * rows: dense, its 151 MB took 37 MB of statistics, held by the worker as it grew them, copied to
 * send them, and again in the engine (peak RSS 345 MiB, 203 MiB sparse with one worker).
 */
import { K } from './fieldStats';

/**
 * Finished micro-blocks' statistics, as a range scan sends them back (plain data: structured-cloned).
 * Micro-block m, column c: the bits of masks[m * ncols + c] say which of the K statistics are non-zero
 * (bit k: statistic k), and their values follow one another in `values`, in the order of the bits,
 * column after column, from values[valueAt[m]].
 */
export interface MicroStats {
  ncols: number;
  masks: Uint32Array;
  values: Float64Array;
  /** Per micro-block, the index of its first value (and one more: the end of the last). */
  valueAt: Float64Array;
}

export function microBlockCount(stats: MicroStats): number {
  return Math.max(0, stats.valueAt.length - 1);
}

export function emptyMicroStats(ncols: number): MicroStats {
  return { ncols, masks: new Uint32Array(0), values: new Float64Array(0), valueAt: new Float64Array(1) };
}

/** Adds micro-block m's statistics (ncols * K numbers) to `into`, from index `at`. */
export function addMicroBlock(stats: MicroStats, m: number, into: Float64Array, at = 0): void {
  const { ncols, masks, values } = stats;
  let v = stats.valueAt[m];
  for (let col = 0, i = m * ncols, o = at; col < ncols; col++, i++, o += K) {
    for (let mask = masks[i]; mask !== 0; mask &= mask - 1) into[o + 31 - Math.clz32(mask & -mask)] += values[v++];
  }
}

/** Micro-block m's statistics, all ncols * K of them. */
export function microBlock(stats: MicroStats, m: number): Float64Array {
  const out = new Float64Array(stats.ncols * K);
  addMicroBlock(stats, m, out);
  return out;
}

/** Every micro-block's statistics one after another (ncols * K numbers each), as tests read them. */
export function microBlockArray(stats: MicroStats): Float64Array {
  const width = stats.ncols * K;
  const out = new Float64Array(microBlockCount(stats) * width);
  for (let m = 0; m < microBlockCount(stats); m++) addMicroBlock(stats, m, out, m * width);
  return out;
}

export class MicroBlockLog {
  private masks: Uint32Array;
  private values: Float64Array;
  private valueCount = 0;
  private readonly valueAt: number[] = [0];
  readonly rowCounts: number[] = [];
  readonly starts: number[] = [];

  constructor(private readonly ncols: number) {
    this.masks = new Uint32Array(ncols * 8);
    this.values = new Float64Array(ncols * 8);
  }

  /** Keeps a finished block: its statistics (ncols * K numbers), rows and the absolute offset of its first record. */
  push(block: Float64Array, rows: number, start: number): void {
    const { ncols } = this;
    const m = this.rowCounts.length;
    if ((m + 1) * ncols > this.masks.length) this.masks = grown(this.masks, (m + 1) * ncols);
    if (this.valueCount + ncols * K > this.values.length) this.values = grown(this.values, this.valueCount + ncols * K);
    const { masks, values } = this;
    let n = this.valueCount;
    for (let col = 0, o = 0, i = m * ncols; col < ncols; col++, i++) {
      let mask = 0;
      for (let k = 0; k < K; k++, o++) {
        const v = block[o];
        if (v !== 0) {
          mask |= 1 << k;
          values[n++] = v;
        }
      }
      masks[i] = mask;
    }
    this.valueCount = n;
    this.valueAt.push(n);
    this.rowCounts.push(rows);
    this.starts.push(start);
  }

  /** All blocks' statistics, trimmed to their size (a view would send its whole buffer to the engine). */
  all(): MicroStats {
    return {
      ncols: this.ncols,
      masks: this.masks.slice(0, this.rowCounts.length * this.ncols),
      values: this.values.slice(0, this.valueCount),
      valueAt: Float64Array.from(this.valueAt),
    };
  }
}

/**
 * A bigger copy holding at least `need` items: twice the size, or a quarter more once it is past
 * 16 MiB (a wide file's: the old and the new array are both held while copying).
 */
function grown<T extends Uint32Array | Float64Array>(old: T, need: number): T {
  const more = old.byteLength >= 16 << 20 ? Math.ceil(old.length / 4) : old.length;
  const bigger = new (old.constructor as new (n: number) => T)(Math.max(need, old.length + more));
  bigger.set(old);
  return bigger;
}
