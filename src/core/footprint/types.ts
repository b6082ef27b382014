/**
 * Contract of the dataset footprint engine: what a scan of a CSV/TSV/Parquet file yields, for the
 * advisor (downcast / sub-sample plans), the dataset panel, the inline hints and the CLI.
 * All byte counts are what `df.memory_usage(deep=True)` reports under the given pandas model.
 */

/** The pandas and Python the user's code will run with; the byte counts depend on all three. */
export interface PandasModel {
  /** major.minor, e.g. "1.5", "2.2", "3.0". */
  pandas: string;
  /** major.minor, e.g. "3.11", "3.12". */
  python: string;
  /** Whether pyarrow is importable (pandas 3's default `str` dtype needs it). */
  pyarrow: boolean;
}

export type DatasetFormat = 'csv' | 'tsv' | 'parquet';
export type FootprintMode = 'exact' | 'quick';

/** The literal read_csv/read_table/read_parquet arguments that change the frame (inline hints pass these). */
export interface ReadOptions {
  sep?: string;
  usecols?: (string | number)[];
  nrows?: number;
  /** A single dtype for all columns, or one per column name. */
  dtype?: string | Record<string, string>;
  parseDates?: string[] | boolean;
  compression?: 'infer' | 'gzip' | null;
  encoding?: string;
}

export interface ColumnProfile {
  name: string;
  /** pandas dtype after the read, e.g. "int64", "float64", "bool", "object", "str", "category". */
  dtype: string;
  /** Deep bytes of this column (without the index). */
  bytes: number;
  nulls: number;
  /** Exact distinct non-null values, or null when more than the cap (then `highCardinality`). */
  distinct: number | null;
  highCardinality: boolean;
  /** What the non-null values are, before pandas' dtype decision. */
  valueKind: 'integer' | 'float' | 'bool' | 'string' | 'mixed' | 'empty';
  /** Numeric columns (integer, float; bool as 0/1): smallest and largest non-null value. */
  min: number | null;
  max: number | null;
  /** Non-null values equal to zero (for the sparse saving). */
  zeros: number;
  /** Float columns whose non-null values are all whole numbers (candidates for nullable Int*). */
  allIntegral: boolean;
  /** Float columns: what float32 would cost in precision. */
  float32: { maxRelativeError: number; preservesWrittenPrecision: boolean } | null;
  /** String columns whose every non-null value is a date/datetime in one consistent format. */
  dateLike: boolean;
  /**
   * Bool columns: spellings that read_csv infers as bools (any case) but the nullable `boolean` dtype
   * rejects (it takes True/TRUE/true and False/FALSE/false only), e.g. "tRuE". Empty when none is known.
   */
  oddBoolSpellings: string[];
  /** Deep bytes of this column as `category` under the model; null when high-cardinality or not a string column. */
  categoryBytes: number | null;
}

/** The index pandas makes of leading fields the header does not name (see implicitIndex.ts). */
export interface ImplicitIndex {
  /** Index columns pandas builds from the leading fields. */
  levels: number;
  kind: 'Index' | 'MultiIndex';
  bytes: number;
  /**
   * Deep bytes of the frame read with `index_col=False`: a RangeIndex and the first fields under the
   * header's names; pandas drops the last `levels` fields of every row (and warns of the data loss).
   */
  indexColFalseBytes: number;
  /** Deep bytes with `header=None, skiprows=1`: every field an ordinary column (named 0, 1, ...). */
  allColumnsBytes: number;
}

export interface FootprintResult {
  file: string;
  format: DatasetFormat;
  compression: 'gzip' | null;
  fileBytes: number;
  rows: number;
  indexBytes: number;
  /** Present when the data rows have more fields than the header has names. */
  implicitIndex?: ImplicitIndex;
  totalBytes: number;
  columns: ColumnProfile[];
  model: PandasModel;
  mode: FootprintMode;
  /** Quick mode: half-width of the uncertainty of totalBytes in percent; 0 in exact mode. */
  uncertaintyPercent: number;
  /** Things pandas would warn about (e.g. DtypeWarning for mixed types across low_memory blocks). */
  warnings: string[];
  elapsedMs: number;
}

export interface FootprintOptions {
  model: PandasModel;
  mode: FootprintMode;
  read?: ReadOptions;
  /** Worker threads for exact mode; default: available cores. */
  workers?: number;
  signal?: AbortSignal;
  /** 0..1, throttled by the engine. */
  onProgress?: (fraction: number) => void;
}

export type FootprintErrorCode =
  'missing' | 'unreadable' | 'empty' | 'binary' | 'encoding' | 'ragged' | 'parquet' | 'unsupported' | 'cancelled';

/** A failure pandas would also hit (or the file cannot be read), in plain words with what to do. */
export class FootprintError extends Error {
  constructor(
    readonly code: FootprintErrorCode,
    message: string,
    /** What the user can do about it, e.g. "pass encoding='latin-1' to read_csv". */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'FootprintError';
  }
}

/** The error every part of the engine throws when its signal is aborted. */
export function cancelledError(): FootprintError {
  return new FootprintError('cancelled', 'The analysis was cancelled.');
}
