/**
 * Sums the micro-blocks of an exact CSV scan's ranges into pandas' low_memory blocks, range by range
 * in file order. A range whose first row was unknown to its worker has micro-blocks that straddle a
 * block boundary: such a micro-block's statistics cannot be split at the boundary, so it is either
 * shown not to need splitting (see `splitFree`) or scanned again with its absolute row.
 */
import type { FootprintWorkerResult, FootprintWorkerTask } from './workerProtocol';
import { blockKinds, type Block } from './blockTypes';
import { scanSettings, type CsvPlan } from './csvPlan';
import type { CsvScanSummary } from './csvResult';
import { DISTINCT_CAP, DistinctMerger } from './distinct';
import { K, mergeGlobals, newGlobals } from './fieldStats';
import { addMicroBlock, microBlock } from './microBlocks';
import { cancelledError } from './types';

/** Runs a range task: in the pool, or in-thread. */
export type Runner = (task: FootprintWorkerTask) => Promise<FootprintWorkerResult>;

/** A micro-block that straddles a block boundary, until it is settled. */
interface Straddler {
  /** Absolute row of its first record, and its rows. */
  first: number;
  rows: number;
  /** Its statistics (a copy: the range's array is not kept). */
  stats: Float64Array;
  /** Its bytes, for a rescan. */
  start: number;
  end: number;
  /** The block its first rows belong to; the rest belong to the next. */
  block: number;
}

export class RangeMerger {
  private readonly blocks: Block[] = [];
  private readonly globals: Float64Array;
  private readonly distinct: DistinctMerger;
  private readonly rescans: Promise<void>[] = [];
  /** Straddlers not settled yet, in file order. */
  private readonly pending: Straddler[] = [];
  /**
   * blockKinds of each column of the straddlers, by first block: those touching the blocks of the ones
   * pending, kept once they are settled (splitFree).
   */
  private readonly kindsByBlock = new Map<number, Uint8Array>();
  private row = 0;

  constructor(
    private readonly plan: CsvPlan,
    private readonly run: Runner,
    private readonly signal: AbortSignal | undefined,
    /** Columns known to be high-cardinality (shared with the range scans, which keep adding to it). */
    private readonly skipDistinct: number[],
  ) {
    this.globals = newGlobals(plan.ncols);
    this.distinct = new DistinctMerger(plan.ncols, DISTINCT_CAP);
  }

  add(r: FootprintWorkerResult): void {
    if (r.rows === 0) return;
    const { plan } = this;
    const B = plan.blockRows;
    mergeGlobals(this.globals, r.globals, plan.ncols);
    this.distinct.add(r.distinct);
    this.distinct.markHighCardinality(this.skipDistinct);
    for (let m = 0; m < r.microRowCounts.length; m++) {
      const rows = r.microRowCounts[m];
      const first = this.row;
      if (Math.floor(first / B) === Math.floor((first + rows - 1) / B))
        addMicroBlock(r.microStats, m, this.blockStats(first, rows));
      else {
        const start = r.microStarts[m];
        const end = m + 1 < r.microStarts.length ? r.microStarts[m + 1] : r.end;
        // A wide file's micro-blocks are whole blocks: no block has rows of its own to compare with.
        if (plan.microRows === B) this.rescan(first, rows, start, end);
        else {
          const stats = microBlock(r.microStats, m);
          const block = Math.floor(first / B);
          this.pending.push({ first, rows, stats, start, end, block });
          this.kindsByBlock.set(
            block,
            Uint8Array.from({ length: plan.ncols }, (_, col) => blockKinds(stats, col * K)),
          );
        }
      }
      this.row += rows;
    }
    this.settle(false);
  }

  /**
   * Settles the straddlers whose two blocks are complete (all: the scan is over): each one that
   * splitFree shows needs no split is added whole to its first block, the others are rescanned.
   */
  private settle(all: boolean): void {
    const B = this.plan.blockRows;
    while (this.pending.length > 0) {
      const s = this.pending[0];
      // (past the end of the next block, the straddler between it and the one after is known too)
      if (!all && this.row < (s.block + 2) * B) return;
      this.pending.shift();
      // (later straddlers' blocks are further on: one more than a block back touches none of them)
      for (const b of this.kindsByBlock.keys()) if (b < s.block - 1) this.kindsByBlock.delete(b);
      if (!this.splitFree(s)) {
        this.rescan(s.first, s.rows, s.start, s.end);
        continue;
      }
      const before = (s.block + 1) * B - s.first;
      const into = this.blockStats(s.first, before);
      s.stats.forEach((v, i) => (into[i] += v));
      this.blocks[s.block + 1].rows += s.rows - before;
    }
  }

  /**
   * Whether adding a straddler's statistics whole to its first block gives the sizes its split would.
   * pandas' sizes read a block's statistics in two ways (blockTypes.ts): its type, from which of
   * them are non-zero (blockKinds), and sums that are linear in them, weighted by that type. So if
   * both blocks have the same kinds of values without the straddler, and the straddler, like every
   * other straddler touching them, holds no kind they lack, neither block's type depends on the split,
   * both types are the same, and the straddler's values count the same in either. Row counts stay exact
   * (settle splits them at the boundary).
   */
  private splitFree(s: Straddler): boolean {
    const first = this.blocks[s.block];
    const next = this.blocks[s.block + 1];
    // (a file that ends inside the straddler: the next block has no rows of its own)
    if (first === undefined || next === undefined || next.rows === 0) return false;
    // this straddler, and those at the first block's start and at the next block's end
    const touching = [s.block - 1, s.block, s.block + 1].map((b) => this.kindsByBlock.get(b));
    for (let col = 0; col < this.plan.ncols; col++) {
      const o = col * K;
      const kinds = blockKinds(first.stats, o);
      if (blockKinds(next.stats, o) !== kinds) return false;
      if (touching.some((t) => t !== undefined && (t[col] & ~kinds) !== 0)) return false;
    }
    return true;
  }

  /**
   * Scans a straddler (bytes [start, end), rows from `first`) again with its absolute row, in the pool,
   * while later ranges are still being scanned.
   */
  private rescan(first: number, rows: number, start: number, end: number): void {
    const { plan } = this;
    // Only its micro-block statistics are used, but tracking the distinct values of the columns not
    // known to be high-cardinality makes their repeated values cheap to count.
    const settings = {
      ...scanSettings(plan, first, rows),
      microRows: plan.blockRows,
      skipDistinct: [...this.skipDistinct],
    };
    const rescan = this.run({
      type: 'scan-range',
      path: plan.path,
      compression: plan.compression,
      // its own bytes only (a range's read buffer is 1 MiB; a micro-block is a few dozen KB)
      start,
      end,
      speculative: false,
      distinctLists: false,
      settings,
    }).then((again) => {
      let at = first;
      for (let j = 0; j < again.microRowCounts.length; j++) {
        addMicroBlock(again.microStats, j, this.blockStats(at, again.microRowCounts[j]));
        at += again.microRowCounts[j];
      }
    });
    // finish() awaits it; when the scan fails or is cancelled first, nothing does
    rescan.catch(() => undefined);
    this.rescans.push(rescan);
  }

  /** The statistics of the block of row `row`, once `rows` rows from there on are counted in it (their statistics go there). */
  private blockStats(row: number, rows: number): Float64Array {
    const b = Math.floor(row / this.plan.blockRows);
    while (this.blocks.length <= b) this.blocks.push({ rows: 0, stats: new Float64Array(this.plan.ncols * K) });
    this.blocks[b].rows += rows;
    return this.blocks[b].stats;
  }

  async finish(): Promise<CsvScanSummary> {
    this.settle(true);
    await Promise.all(this.rescans);
    if (this.signal?.aborted) throw cancelledError();
    const { plan } = this;
    return {
      names: plan.header.names,
      indexCols: plan.indexCols,
      rows: this.row,
      blocks: this.blocks,
      globals: this.globals,
      distinct: this.distinct,
    };
  }
}
