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

  constructor(private readonly width: number) {
    // Room for 8 blocks, or for 1 when a block is big (a wide file): grown by doubling as needed.
    this.stats = new Float64Array(width * (width > 1 << 17 ? 1 : 8));
  }

  /** Keeps a finished block: its statistics, rows and the absolute offset of its first record. */
  push(block: Float64Array, rows: number, start: number): void {
    const need = (this.count + 1) * this.width;
    if (need > this.stats.length) {
      // a wide file's blocks are big and few: room for one more each time, not twice the room
      const bigger = new Float64Array(this.width > 1 << 17 ? need : Math.max(need, this.stats.length * 2));
      bigger.set(this.stats);
      this.stats = bigger;
    }
    this.stats.set(block, this.count * this.width);
    this.count++;
    this.rowCounts.push(rows);
    this.starts.push(start);
  }

  /** All blocks' statistics, one after another (the log's own array when it holds exactly them). */
  all(): Float64Array {
    const n = this.count * this.width;
    return n === this.stats.length ? this.stats : this.stats.slice(0, n);
  }
}
