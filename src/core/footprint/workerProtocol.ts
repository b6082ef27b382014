/**
 * The footprint engine <-> its piscina workers (pool.ts, src/workers/footprint.ts): engine -> worker
 * tasks (a CSV byte range to scan, a Parquet column to read) and worker -> engine results, and what a
 * worker is given when it starts (FootprintWorkerData). Pure types; nothing else crosses this boundary.
 */
import type { MicroStats } from './microBlocks';

/** Pool -> each worker as it starts (its workerData). */
export interface FootprintWorkerData {
  /**
   * The scan kernel's WebAssembly.Module, compiled by the pool's thread: all threads share its code, so
   * the optimized code V8 compiles for a hot function serves every worker, not only the one that ran it.
   */
  scanKernel: object;
}

/** How a footprint worker tokenizes: set once per file by the engine from the header it read. */
export interface FootprintScanSettings {
  /** Field separator byte (44 ',' or 9 tab). */
  delimiter: number;
  /** Fields a record may have: the header's count, plus one when the first column is the index. */
  ncols: number;
  /** Whole-field NA spellings of the pandas version being modelled. */
  naSpellings: string[];
  /** pandas < 3: a float outside float64's range (`1e400`) is text, not inf (floatRange.ts). */
  outOfRangeIsText: boolean;
  encoding: 'utf8' | 'latin1' | 'cp1252';
  /** Rows per statistics micro-block, a divisor of pandas' low_memory block. */
  microRows: number;
  /** Absolute row number of the first record when known (micro-blocks then align to it). */
  firstRow: number | null;
  /** Distinct values tracked per column before it counts as high-cardinality. */
  distinctCap: number;
  /** Stop after this many records (read_csv nrows); null for all. */
  maxRows: number | null;
  /**
   * Columns (1) whose distinct values need no tracking: another range already found more than
   * `distinctCap`, so the file's column is high-cardinality whatever this range holds.
   */
  skipDistinct?: number[];
  /**
   * Distinct values the first range found in columns of many (ASCII, the range's own spellings): a
   * range whose set holds exactly these values sends [] for the column instead of its list, which the
   * engine's merge would only find it already has (a wide file's codes: 100,000 strings a range).
   */
  knownDistinct?: KnownDistinct[];
}

/** One column's known distinct values, their bytes one after another. */
export interface KnownDistinct {
  col: number;
  bytes: Uint8Array;
  lengths: Uint32Array;
}

/** A failure pandas would also hit, found in a worker's range (the engine words the message). */
export interface FootprintScanProblem {
  kind: 'ragged' | 'encoding' | 'eof-in-quotes' | 'record-too-long';
  /** Absolute byte offset (plain files) or decompressed offset (gzip) of the record or bad byte. */
  offset: number;
  expected?: number;
  saw?: number;
  byte?: number;
}

/** Engine -> worker: scan one byte range of a file (or a whole gzip stream). */
export interface FootprintWorkerTask {
  type: 'scan-range';
  path: string;
  compression: 'gzip' | null;
  /** First byte (decompressed offset for gzip) of the range. */
  start: number;
  /** Records starting at or after this offset belong to the next range. */
  end: number;
  /** true: `start` is a guess; begin at the first line start at or after it (validated by the engine). */
  speculative: boolean;
  /**
   * false: the result leaves the distinct values out (a block-boundary rescan needs only its
   * micro-block statistics; decoding and sending a few thousand strings would cost more than its scan).
   */
  distinctLists: boolean;
  settings: FootprintScanSettings;
}

/** Worker -> engine: additive statistics of the records that start inside the range. */
export interface FootprintWorkerResult {
  type: 'range-result';
  /** Offset of the first record scanned and of the first record not scanned. */
  start: number;
  end: number;
  rows: number;
  /** Per micro-block: rows and byte offset of its first record; its statistics (ncols*K numbers, kept sparse). */
  microRowCounts: number[];
  microStarts: number[];
  microStats: MicroStats;
  /** ncols*GK whole-range statistics (min, max, zeros, float32 error, ...). */
  globals: Float64Array;
  /** Distinct values per column in first-seen order; null once past the cap. No columns when the task said distinctLists: false. */
  distinct: (string[] | null)[];
  problem: FootprintScanProblem | null;
  /** Bytes read from disk (compressed bytes for gzip), for progress. */
  bytesRead: number;
}

/** Engine -> worker: read one Parquet column for what its metadata does not say. */
export interface ParquetColumnTask {
  type: 'parquet-column';
  path: string;
  /** The column's index among the leaf columns. */
  leaf: number;
  read: 'text' | 'number';
  /** Text: also collect the distinct values (up to the cap). */
  distinct: boolean;
  /** Quick mode: read only the pages within the first `prefixBytes` of these row groups. */
  sample: { groups: number[]; prefixBytes: number } | null;
}

/** A sampled text page's counts (quick mode: each page estimates the column on its own). */
export interface ParquetTextPage {
  rows: number;
  nulls: number;
  classes: number[];
  utf8: number;
}

/** Worker -> engine: a text column's counts. */
export interface ParquetTextResult {
  type: 'parquet-text';
  rows: number;
  nulls: number;
  /** Values and code points per CPython str width class: [ascii n, cp, latin-1 n, cp, ucs-2 n, cp, ucs-4 n, cp]. */
  classes: number[];
  utf8: number;
  /** Validity bytes pandas 3 counts: one bitmap per row group that holds a null. */
  validity: number;
  /** Distinct values (UTF-8 bytes as latin1 text) with their UTF-8 lengths, in first-seen order; null past the cap. */
  distinct: [string, number][] | null;
  /** The shape (dateShape.ts) every non-null value has as a date; 0 when no value, -1 when none or several. */
  dateShape: number;
  /** When sampled: the counts of each page read. */
  pages: ParquetTextPage[] | null;
}

/** Worker -> engine: a number column's counts for the downcast advice. */
export interface ParquetNumberResult {
  type: 'parquet-number';
  zeros: number;
  allIntegral: boolean;
  maxRelativeError: number;
  preservesWrittenPrecision: boolean;
}

export type ParquetColumnResult = ParquetTextResult | ParquetNumberResult;
