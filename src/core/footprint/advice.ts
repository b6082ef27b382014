/**
 * The downcast plan: for each column of a scanned file, the smallest pandas dtype that keeps its
 * values, with the bytes `memory_usage(deep=True)` will report once the plan is applied at load time
 * (`read_csv(dtype=..., parse_dates=...)`, or `.astype(...)` after `read_parquet`).
 * Every figure is derived from the scan; nothing here is estimated.
 */
import { formatCount } from '../format';
import { ITEM_BYTES, versionAtLeast } from './pandasSizes';
import type { ColumnProfile, FootprintResult, PandasModel } from './types';

export type SuggestionKind = 'integer' | 'nullable-integer' | 'float32' | 'category' | 'datetime' | 'boolean';

export interface ColumnSuggestion {
  kind: SuggestionKind;
  /** The dtype to pass to read_csv/astype, e.g. "int8", "UInt16", "float32", "category". */
  dtype: string;
  /** Deep bytes of the column before (as read with defaults) and after the suggestion. */
  bytesBefore: number;
  bytes: number;
  /** One line: why this dtype is safe and what it costs. */
  reason: string;
}

export interface ColumnPlan {
  name: string;
  dtype: string;
  bytes: number;
  suggestion: ColumnSuggestion | null;
  /** Bytes after the plan (the suggestion's, or unchanged). */
  plannedBytes: number;
  /** The dtype after the plan (the suggestion's, or unchanged). */
  plannedDtype: string;
}

/** A mostly-zero numeric column and what `SparseDtype(dtype, 0)` would hold it in. */
export interface SparseSuggestion {
  name: string;
  /** e.g. "Sparse[int8, 0]"; `dtype` and `fill` build it in Python: pd.SparseDtype(dtype, fill). */
  sparseDtype: string;
  dtype: string;
  fill: '0' | '0.0';
  zeroShare: number;
  bytesBefore: number;
  bytes: number;
}

export interface DowncastPlan {
  columns: ColumnPlan[];
  indexBytes: number;
  totalBytes: number;
  suggestedTotalBytes: number;
  /** read_csv `dtype=` entries (or astype entries for parquet), in column order. */
  dtype: Record<string, string>;
  /** read_csv `parse_dates=` columns (parquet: astype to datetime64[ns]). */
  parseDates: string[];
  sparse: SparseSuggestion[];
}

const INT_RANGES: { dtype: string; min: number; max: number }[] = [
  { dtype: 'int8', min: -128, max: 127 },
  { dtype: 'uint8', min: 0, max: 255 },
  { dtype: 'int16', min: -32768, max: 32767 },
  { dtype: 'uint16', min: 0, max: 65535 },
  { dtype: 'int32', min: -2147483648, max: 2147483647 },
  { dtype: 'uint32', min: 0, max: 4294967295 },
];

/** Smallest numpy integer holding min..max (bounds inclusive; signed wins ties), or null for 64-bit. */
export function smallestIntDtype(min: number, max: number): string | null {
  const fit = INT_RANGES.find((r) => min >= r.min && max <= r.max);
  return fit ? fit.dtype : null;
}

/** The nullable extension name of a numpy integer dtype: int8 -> Int8, uint16 -> UInt16. */
function nullableName(dtype: string): string {
  return dtype.startsWith('u') ? `U${dtype.slice(1, 2).toUpperCase()}${dtype.slice(2)}` : `I${dtype.slice(1)}`;
}

const isText = (c: ColumnProfile) => c.dtype === 'object' || c.dtype === 'str' || c.dtype === 'string';

function fmtRange(c: ColumnProfile): string {
  return `${formatCount(c.min!)}..${formatCount(c.max!)}`;
}

function integerSuggestion(c: ColumnProfile, rows: number): ColumnSuggestion | null {
  if (c.min === null || c.max === null) return null;
  const numpy = smallestIntDtype(c.min, c.max);
  const range = fmtRange(c);
  if (c.nulls === 0 && c.dtype !== 'uint64') {
    if (!numpy) return null;
    const how = c.dtype.startsWith('float') ? ' (every value is a whole number)' : '';
    return suggestion('integer', numpy, c, rows * ITEM_BYTES[numpy], `values ${range} fit in ${numpy}${how}`);
  }
  if (c.nulls === 0) return null;
  // A column with NA reads as float64; a nullable integer keeps the values exact and counts a mask byte.
  const nullable = nullableName(numpy ?? (c.min >= 0 ? 'uint64' : 'int64'));
  const bytes = rows * ITEM_BYTES[nullable];
  const nulls = `${formatCount(c.nulls)} NA`;
  return suggestion(
    'nullable-integer',
    nullable,
    c,
    bytes,
    `whole numbers ${range} with ${nulls}: ${nullable} keeps them exact (+1 mask byte a row)`,
  );
}

function floatSuggestion(c: ColumnProfile, rows: number): ColumnSuggestion | null {
  const f32 = c.float32;
  if (!f32 || !f32.preservesWrittenPrecision) return null;
  const error = f32.maxRelativeError === 0 ? 'exact' : `max relative error ${f32.maxRelativeError.toPrecision(2)}`;
  return suggestion('float32', 'float32', c, rows * 4, `float32 keeps every value at its written precision (${error})`);
}

function textSuggestion(
  c: ColumnProfile,
  rows: number,
  model: PandasModel,
  via: 'read_csv' | 'astype',
): ColumnSuggestion | null {
  const options: ColumnSuggestion[] = [];
  if (c.dateLike) {
    // read_csv parses to pandas' default unit; astype is told the unit. Either way 8 bytes a row.
    const dtype = via === 'read_csv' && versionAtLeast(model.pandas, 3) ? 'datetime64[us]' : 'datetime64[ns]';
    options.push(
      suggestion('datetime', dtype, c, rows * 8, 'every value is a date in one format: parsed, 8 bytes a row'),
    );
  }
  // The scan states what `category` costs for this file's way in: read_csv(dtype=...) for text
  // files, .astype after read_parquet for Parquet (the engine counts each path's hash table).
  const category = c.categoryBytes;
  if (category !== null && c.distinct !== null) {
    const k = formatCount(c.distinct);
    options.push(
      suggestion('category', 'category', c, category, `${k} distinct values: codes plus one copy of each value`),
    );
  }
  return cheapest(options, c.bytes);
}

function suggestion(
  kind: SuggestionKind,
  dtype: string,
  c: ColumnProfile,
  bytes: number,
  reason: string,
): ColumnSuggestion {
  return { kind, dtype, bytesBefore: c.bytes, bytes, reason };
}

function cheapest(options: (ColumnSuggestion | null)[], before: number): ColumnSuggestion | null {
  let best: ColumnSuggestion | null = null;
  for (const o of options) if (o && o.bytes < before && (!best || o.bytes < best.bytes)) best = o;
  return best;
}

/** The best dtype for one column, or null when the default is already the smallest exact one. */
export function suggestColumn(
  c: ColumnProfile,
  rows: number,
  model: PandasModel,
  via: 'read_csv' | 'astype',
  /** Quick mode: the scan read a sample, so spellings it did not see may lie in the rest of the file. */
  sampled = false,
): ColumnSuggestion | null {
  if (rows === 0) return null;
  if (c.dtype === 'category' || c.dtype.startsWith('datetime')) return null;
  const numeric = /^(u?int\d+|float\d+)$/.test(c.dtype);
  if (numeric && c.dtype !== 'float64' && c.dtype !== 'int64' && c.dtype !== 'uint64') {
    // Parquet keeps narrow widths; only a narrower integer can still help.
    if (/^u?int/.test(c.dtype) && c.min !== null && c.max !== null) {
      const numpy = smallestIntDtype(c.min, c.max);
      if (numpy && ITEM_BYTES[numpy] < ITEM_BYTES[c.dtype]) return integerSuggestion(c, rows);
    }
    return null;
  }
  if (c.dtype === 'int64' || c.dtype === 'uint64') return integerSuggestion(c, rows);
  if (c.dtype === 'float64') {
    const integral = c.valueKind === 'integer' || (c.valueKind === 'float' && c.allIntegral);
    return cheapest([integral ? integerSuggestion(c, rows) : null, floatSuggestion(c, rows)], c.bytes);
  }
  // pandas' BooleanArray rejects the odd spellings that inference took (ValueError: tRuE cannot be cast to bool);
  // a sample cannot rule them out in the rest of a CSV (the exact scan can). astype takes any Python bool.
  const spellingsKnown = via === 'astype' || !sampled;
  if (
    c.dtype === 'object' &&
    c.valueKind === 'bool' &&
    c.nulls > 0 &&
    c.oddBoolSpellings.length === 0 &&
    spellingsKnown
  ) {
    return suggestion(
      'boolean',
      'boolean',
      c,
      rows * ITEM_BYTES.boolean,
      `True/False with ${formatCount(c.nulls)} NA: nullable boolean, 2 bytes a row`,
    );
  }
  if (isText(c) && c.valueKind === 'string') return textSuggestion(c, rows, model, via);
  return null;
}

/** Mostly-zero numeric columns: SparseDtype(dtype, 0) stores each non-zero value (NA included) plus a 4-byte int32 position. */
function sparseSuggestion(
  c: ColumnProfile,
  rows: number,
  plannedDtype: string,
  plannedBytes: number,
): SparseSuggestion | null {
  if (rows === 0 || c.zeros * 2 < rows) return null;
  const dtype = plannedDtype in ITEM_BYTES && /^(u?int|float)\d+$/.test(plannedDtype) ? plannedDtype : null;
  if (!dtype) return null;
  const bytes = (rows - c.zeros) * (ITEM_BYTES[dtype] + 4);
  if (bytes >= plannedBytes) return null;
  const fill = dtype.startsWith('float') ? '0.0' : '0';
  return {
    name: c.name,
    sparseDtype: `Sparse[${dtype}, ${fill === '0' ? 0 : 0.0}]`,
    dtype,
    fill,
    zeroShare: c.zeros / rows,
    bytesBefore: plannedBytes,
    bytes,
  };
}

/** The full downcast plan for a scanned file under its pandas model. */
export function planDowncast(result: FootprintResult): DowncastPlan {
  const via = result.format === 'parquet' ? 'astype' : 'read_csv';
  const dtype: Record<string, string> = {};
  const parseDates: string[] = [];
  const sparse: SparseSuggestion[] = [];
  const columns = result.columns.map((c): ColumnPlan => {
    const s = suggestColumn(c, result.rows, result.model, via, result.mode === 'quick');
    if (s?.kind === 'datetime') parseDates.push(c.name);
    else if (s) dtype[c.name] = s.dtype;
    const plannedDtype = s?.dtype ?? c.dtype;
    const plannedBytes = s?.bytes ?? c.bytes;
    const sp = sparseSuggestion(c, result.rows, plannedDtype, plannedBytes);
    if (sp) sparse.push(sp);
    return { name: c.name, dtype: c.dtype, bytes: c.bytes, suggestion: s, plannedBytes, plannedDtype };
  });
  const suggestedTotalBytes = result.indexBytes + columns.reduce((sum, c) => sum + c.plannedBytes, 0);
  return {
    columns,
    indexBytes: result.indexBytes,
    totalBytes: result.totalBytes,
    suggestedTotalBytes,
    dtype,
    parseDates,
    sparse,
  };
}
