/**
 * The micro-blocks of a CSV scan: statistics of each run of `microRows` rows (aligned to absolute row
 * numbers when the first row is known), so that pandas' low_memory blocks can be rebuilt from them
 * whatever row a byte range started at. The scan kernel fills a block; this log keeps the finished ones.
 */
export class MicroBlockLog {
  private stats: Float64Array;
  private count = 0;
  readonly rowCounts: number[] = [];
  readonly starts: number[] = [];
  /** A wide file's blocks are big (170 bytes a column): room grows by a quarter, not twice over. */
  private readonly wide: boolean;

  constructor(private readonly width: number) {
    this.wide = width > 1 << 17;
    this.stats = new Float64Array(width * (this.wide ? 1 : 8));
  }

  /** Keeps a finished block: its statistics, rows and the absolute offset of its first record. */
  push(block: Float64Array, rows: number, start: number): void {
    const need = (this.count + 1) * this.width;
    if (need > this.stats.length) {
      const room = this.wide
        ? Math.max(this.count + 1, Math.ceil((this.count * 5) / 4)) * this.width
        : Math.max(need, this.stats.length * 2);
      const bigger = new Float64Array(room);
      bigger.set(this.stats);
      this.stats = bigger;
    }
    this.stats.set(block, this.count * this.width);
    this.count++;
    this.rowCounts.push(rows);
    this.starts.push(start);
  }

  /** All blocks' statistics, one after another (a wide file's: a view of the log's own array, not a copy). */
  all(): Float64Array {
    const n = this.count * this.width;
    return n === this.stats.length ? this.stats : this.wide ? this.stats.subarray(0, n) : this.stats.slice(0, n);
  }
}
