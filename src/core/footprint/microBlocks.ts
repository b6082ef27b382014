/**
 * The micro-block bookkeeping of a CSV scan: statistics of the current run of rows, flushed every
 * `microRows` rows (aligned to absolute row numbers when the first row is known), so that pandas'
 * low_memory blocks can be rebuilt from them whatever row a byte range started at.
 */
export class MicroBlocks {
  rows = 0;
  /** Statistics of the current micro-block (`width` numbers). */
  protected cur: Float64Array;
  protected fill = 0;
  protected target: number;
  /** Absolute offset of the current micro-block's first record. */
  protected curStart = 0;
  protected microStats: Float64Array;
  protected microCount = 0;
  readonly microRowCounts: number[] = [];
  readonly microStarts: number[] = [];

  constructor(
    private readonly width: number,
    private readonly microRows: number,
    firstRow: number | null,
  ) {
    this.cur = new Float64Array(width);
    this.microStats = new Float64Array(width * 8);
    this.target = firstRow === null ? microRows : microRows - (firstRow % microRows);
  }

  protected flush(): void {
    const size = this.width;
    const need = (this.microCount + 1) * size;
    if (need > this.microStats.length) {
      const bigger = new Float64Array(Math.max(need, this.microStats.length * 2));
      bigger.set(this.microStats);
      this.microStats = bigger;
    }
    this.microStats.set(this.cur, this.microCount * size);
    this.microCount++;
    this.microRowCounts.push(this.fill);
    this.microStarts.push(this.curStart);
    this.cur.fill(0);
    this.fill = 0;
    this.target = this.microRows;
  }
}
