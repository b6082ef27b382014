/**
 * Merges the distinct values of byte ranges (each in first-seen order, in file order) into one set per
 * column, remembering whether the first-seen order is sorted (pandas then skips a hash table).
 */
import { pyStrSizesOf } from './pandasSizes';
import type { KnownDistinct } from './workerProtocol';

/** Distinct values tracked per column, exactly; past them the column counts as high-cardinality. */
export const DISTINCT_CAP = 65_536;
/** The same for a quick sample, which undercounts a column's distinct values (no category advice past it). */
export const QUICK_DISTINCT_CAP = 4096;

/** Code point order, as Python compares str and arrow compares UTF-8 bytes. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const sx = x >= 0xd800 && x < 0xe000;
      const sy = y >= 0xd800 && y < 0xe000;
      if (sx !== sy) return sx ? 1 : -1;
      return x - y;
    }
  }
  return a.length - b.length;
}

const DISTINCT_BUDGET = 1024 * 1024;

/** Columns with fewer distinct values send their lists whatever they hold (a few strings cost little). */
const KNOWN_FROM_VALUES = 256;

/** Bytes 1 to 127: the same in every encoding the scan reads, and never cut at a NUL. */
function isAsciiWithoutNul(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 0 || c > 0x7f) return false;
  }
  return true;
}

/**
 * The first range's distinct values of its columns of many, for the ranges after it (the tasks'
 * knownDistinct): of ASCII values only.
 */
export function knownDistinct(lists: (string[] | null)[]): KnownDistinct[] {
  const known: KnownDistinct[] = [];
  lists.forEach((list, col) => {
    if (list === null || list.length < KNOWN_FROM_VALUES || !list.every(isAsciiWithoutNul)) return;
    known.push({
      col,
      bytes: Buffer.from(list.join(''), 'latin1'),
      lengths: Uint32Array.from(list, (v) => v.length),
    });
  });
  return known;
}

export interface DistinctSummary {
  count: number | null;
  firstSeenSorted: boolean;
  /** Sum of getsizeof of the distinct values under the given CPython. */
  pySizes: (python: string) => number;
  utf8Bytes: number;
  values: readonly string[];
}

export class DistinctMerger {
  private sets: (Set<string> | null)[];
  private sorted: boolean[];
  private last: (string | null)[];

  constructor(
    ncols: number,
    private readonly cap: number,
  ) {
    this.sets = Array.from({ length: ncols }, () => new Set<string>());
    this.sorted = new Array<boolean>(ncols).fill(true);
    this.last = new Array<string | null>(ncols).fill(null);
  }

  /** Adds one range's lists; call in file order. */
  add(lists: (string[] | null)[]): void {
    lists.forEach((list, col) => {
      const set = this.sets[col];
      if (set === null) return;
      if (list === null) {
        this.sets[col] = null;
        return;
      }
      for (const v of list) {
        if (set.has(v)) continue;
        const last = this.last[col];
        if (last !== null && compareCodePoints(v, last) <= 0) this.sorted[col] = false;
        this.last[col] = v;
        set.add(v);
      }
      if (set.size > this.cap) this.sets[col] = null;
    });
    // Bound the strings held for a wide file: past the budget, the largest sets count as high-cardinality.
    let total = this.sets.reduce((s, set) => s + (set?.size ?? 0), 0);
    while (total > DISTINCT_BUDGET) {
      let largest = -1;
      this.sets.forEach((set, col) => {
        if (set && (largest < 0 || set.size > this.sets[largest]!.size)) largest = col;
      });
      total -= this.sets[largest]!.size;
      this.sets[largest] = null;
    }
  }

  /**
   * Sets skip[col] for the columns found high-cardinality so far: the ranges started later then skip
   * their distinct values (ranges that each stay under the cap can exceed it together).
   */
  markHighCardinality(skip: number[]): void {
    this.sets.forEach((set, col) => {
      if (set === null) skip[col] = 1;
    });
  }

  summary(col: number): DistinctSummary {
    const set = this.sets[col];
    if (set === null) return { count: null, firstSeenSorted: false, pySizes: () => 0, utf8Bytes: 0, values: [] };
    const values = [...set];
    let utf8 = 0;
    for (const v of values) utf8 += Buffer.byteLength(v, 'utf8');
    return {
      count: set.size,
      firstSeenSorted: this.sorted[col],
      pySizes: (python) => pyStrSizesOf(values, python),
      utf8Bytes: utf8,
      values,
    };
  }
}
