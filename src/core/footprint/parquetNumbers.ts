/**
 * What the downcast advice needs to know about a Parquet number column that its metadata does not say:
 * zeros (the sparse saving), whether every value is whole, and what float32 would do to the values.
 * The column is read row group by row group and only these counts are kept.
 */
import type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet';
import { float32Keeps, shortestDigits } from './float32';
import { visitNumberValues, WHOLE_COLUMN, type PageSelection } from './parquetPages';
import type { ColumnProfile } from './types';

export interface NumberStats {
  zeros: number;
  /** Every non-null value is a whole number. */
  allIntegral: boolean;
  /** Largest |float32(v) - v| / |v|. */
  maxRelativeError: number;
  /** float32 gives every value back at its written precision (the shortest text that reads back as it). */
  preservesWrittenPrecision: boolean;
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Whether v is written with at most 6 significant digits (a = |v|). */
function atMostSixDigits(v: number, a: number): boolean {
  // Fast: v = r / 10^k with r a whole number below 10^6 (a correctly rounded quotient, so equality
  // is exact). Near a power of ten or a rounding tie it may miss; toPrecision decides then.
  const k = 5 - Math.floor(Math.log10(a));
  if (k >= 0 && k <= 22 && Math.round(v * POW10[k]) / POW10[k] === v) return true;
  return Number(v.toPrecision(6)) === v;
}

/** Folds a value in, seen `times` times (NaN counts as missing, as pandas reads it). */
export function foldNumberValue(stats: NumberStats, v: number, times = 1): void {
  if (Number.isNaN(v)) return;
  if (v === 0) {
    stats.zeros += times;
    return;
  }
  if (stats.allIntegral && !Number.isInteger(v)) stats.allIntegral = false;
  const f = Math.fround(v);
  if (f === v) return;
  const err = Math.abs((f - v) / v);
  if (err > stats.maxRelativeError) stats.maxRelativeError = err;
  if (!stats.preservesWrittenPrecision) return;
  // Up to 6 significant digits always survive float32 in its normal range (FLT_DIG = 6).
  const a = Math.abs(v);
  const normal = a >= 1.2e-38 && a <= 3.4e38;
  if (normal && atMostSixDigits(v, a)) return;
  if (!float32Keeps(v, Math.min(100, shortestDigits(v)))) stats.preservesWrittenPrecision = false;
}

export function newNumberStats(): NumberStats {
  return { zeros: 0, allIntegral: true, maxRelativeError: 0, preservesWrittenPrecision: true };
}

/**
 * What the row-group statistics alone tell of an int column: whole numbers all above zero (or all
 * below) within float32's exact range have no zeros, and float32 (should pandas hold them as float64)
 * keeps them. Null when the column has to be read.
 */
export function numberStatsFromMetadata(el: SchemaElement, p: Pick<ColumnProfile, 'min' | 'max'>): NumberStats | null {
  if (el.type !== 'INT32' && el.type !== 'INT64') return null;
  if (p.min === null || p.max === null || !(p.min > 0 || p.max < 0)) return null;
  if (p.min < -(2 ** 24) || p.max > 2 ** 24) return null;
  return newNumberStats();
}

/**
 * Reads a number column's values (leaf: its index among the leaf columns) row group by row group, or
 * (quick mode) the pages of `selection` only.
 */
export async function numberStats(
  file: AsyncBuffer,
  metadata: FileMetaData,
  leaf: number,
  signal?: AbortSignal,
  selection: PageSelection = WHOLE_COLUMN,
): Promise<NumberStats> {
  const stats = newNumberStats();
  await visitNumberValues(
    file,
    metadata,
    leaf,
    (v, times) => foldNumberValue(stats, typeof v === 'bigint' ? Number(v) : v, times),
    () => signal?.aborted === true,
    selection,
  );
  return stats;
}
