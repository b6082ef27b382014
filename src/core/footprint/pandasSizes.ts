/**
 * How pandas counts bytes in `memory_usage(deep=True)`, per model (pandas, CPython, pyarrow).
 * Source: /work/shared/reference/pandas-memory-rules.md, each rule checked against real pandas in
 * test/integration. Everything here is pure arithmetic on lengths and counts.
 */
import type { PandasModel } from './types';

export function versionAtLeast(version: string, major: number, minor = 0): boolean {
  const [a, b] = version.split('.').map((part) => Number.parseInt(part, 10));
  return a > major || (a === major && (b ?? 0) >= minor);
}

/** pandas 3 reads text as the `str` dtype, backed by pyarrow when it is installed. */
export function usesArrowStrings(model: PandasModel): boolean {
  return versionAtLeast(model.pandas, 3) && model.pyarrow;
}

/** RangeIndex: 132 bytes on CPython >= 3.11, 128 before. */
export function rangeIndexBytes(model: PandasModel): number {
  return versionAtLeast(model.python, 3, 11) ? 132 : 128;
}

/** `sys.getsizeof(s)` for a Python str, given its length in code points and its widest code point. */
export function pyStrSize(length: number, maxCodePoint: number, python: string): number {
  const modern = versionAtLeast(python, 3, 12);
  if (maxCodePoint < 128) return (modern ? 41 : 49) + length;
  if (maxCodePoint < 256) return (modern ? 57 : 73) + length;
  if (maxCodePoint < 65536) return (modern ? 58 : 74) + 2 * length;
  return (modern ? 60 : 76) + 4 * length;
}

/** `sys.getsizeof` of a string given as JS text (UTF-16): code points, not UTF-16 units, count. */
export function pyStrSizeOf(text: string, python: string): number {
  let length = 0;
  let max = 0;
  for (const ch of text) {
    length++;
    const cp = ch.codePointAt(0)!;
    if (cp > max) max = cp;
  }
  return pyStrSize(length, max, python);
}

/** The sum of `sys.getsizeof` over many strings (a column's distinct values): one version check, no iterator per string. */
export function pyStrSizesOf(texts: readonly string[], python: string): number {
  const ascii = versionAtLeast(python, 3, 12) ? 41 : 49;
  let sum = 0;
  for (const text of texts) {
    const n = text.length;
    let max = 0;
    for (let i = 0; i < n; i++) max |= text.charCodeAt(i);
    // Any unit >= 128 (or a surrogate pair, which counts as one code point): the exact path.
    sum += max < 128 ? ascii + n : pyStrSizeOf(text, python);
  }
  return sum;
}

/** Sizes of the other Python objects that end up in object columns. */
export const PY_OBJECT_BYTES = { float: 24, none: 16, bool: 28, smallInt: 28, date: 32 } as const;

/**
 * `sys.getsizeof(int(v))`: 28 below 2^30, then 4 more bytes per 30-bit digit. 0 has no digit: 24 up
 * to CPython 3.10, 28 from 3.11 (measured on 3.11.2 and 3.11.7; 3.12 keeps 28).
 */
export function pyIntSize(value: bigint, python = '3.11'): number {
  let magnitude = value < 0n ? -value : value;
  if (magnitude === 0n) return versionAtLeast(python, 3, 11) ? 28 : 24;
  let digits = 0;
  while (magnitude > 0n) {
    magnitude >>= 30n;
    digits++;
  }
  return 24 + 4 * digits;
}

/** Deep bytes of an object column: one 8-byte pointer a row plus each element's getsizeof. */
export function objectColumnBytes(rows: number, elementBytes: number): number {
  return 8 * rows + elementBytes;
}

/** pyarrow large_string (pandas 3 `str`, `string[pyarrow]`) in one chunk: offsets + UTF-8 + validity when any null. */
export function arrowStringBytes(rows: number, utf8Bytes: number, nulls: number): number {
  return 8 * rows + utf8Bytes + (nulls > 0 ? Math.ceil(rows / 8) : 0);
}

/** Width of category codes for k categories. */
export function categoryCodeBytes(k: number): number {
  if (k < 127) return 1;
  if (k < 32767) return 2;
  return 4;
}

/** Bytes of the hash table pandas < 3 builds (and counts) for a category's uniqueness check. */
export function categoryHashTableBytes(k: number): number {
  let nb = 4;
  while (nb < k) nb *= 2;
  if (Math.trunc(nb * 0.77 + 0.5) < k) nb *= 2;
  return 40 + 4 * Math.max(1, nb >> 5) + 16 * nb;
}

/**
 * Deep bytes of a string column read with `read_csv(dtype={col: 'category'})`: codes plus categories.
 * pandas builds the categories in first-seen order; when that order is already sorted it learns
 * uniqueness from the monotonic check and builds no hash table. Otherwise it sorts them (a new
 * Index, whose uniqueness check builds the hash table that memory_usage counts, and for arrow
 * strings a validity bitmap from the take). Measured on pandas 1.5.3, 2.2.3 and 3.0.6.
 * @param distinctPySizes sum of getsizeof of the distinct values (object categories)
 * @param distinctUtf8Bytes sum of UTF-8 bytes of the distinct values (pandas 3 `str` categories)
 * @param firstSeenSorted whether the distinct values, in first-seen order, are strictly increasing
 */
export function categoryColumnBytes(
  rows: number,
  distinct: number,
  distinctPySizes: number,
  distinctUtf8Bytes: number,
  model: PandasModel,
  firstSeenSorted = false,
): number {
  const codes = rows * categoryCodeBytes(distinct);
  const hash = firstSeenSorted ? 0 : categoryHashTableBytes(distinct);
  if (usesArrowStrings(model)) {
    return codes + 8 * distinct + distinctUtf8Bytes + (firstSeenSorted ? 0 : Math.ceil(distinct / 8)) + hash;
  }
  return codes + 8 * distinct + distinctPySizes + hash;
}

/** numpy item sizes by dtype name; nullable extension types count their mask byte too. */
export const ITEM_BYTES: Readonly<Record<string, number>> = {
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  uint8: 1,
  uint16: 2,
  uint32: 4,
  uint64: 8,
  float16: 2,
  float32: 4,
  float64: 8,
  bool: 1,
  'datetime64[ns]': 8,
  'datetime64[us]': 8,
  'datetime64[ms]': 8,
  'datetime64[s]': 8,
  'timedelta64[ns]': 8,
  Int8: 2,
  Int16: 3,
  Int32: 5,
  Int64: 9,
  UInt8: 2,
  UInt16: 3,
  UInt32: 5,
  UInt64: 9,
  Float32: 5,
  Float64: 9,
  boolean: 2,
};
