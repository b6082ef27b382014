/**
 * Turns the merged statistics of a CSV scan into a FootprintResult for one pandas model, applying
 * the read_csv arguments that change dtypes (dtype=, parse_dates=, usecols=).
 */
import { type Block, pyStrBytes, sizeColumn } from './blockTypes';
import type { DistinctMerger } from './distinct';
import { G, GK, K, S } from './fieldStats';
import { ITEM_BYTES, categoryColumnBytes, usesArrowStrings, versionAtLeast } from './pandasSizes';
import { describeImplicitIndex, implicitIndexBytes } from './implicitIndex';
import type { ColumnProfile, ImplicitIndex, PandasModel, ReadOptions } from './types';

export interface CsvScanSummary {
  /** Column names from the header (without the implicit index column). */
  names: string[];
  /** Leading fields the header does not name (pandas' implicit index): the first columns of the stats. */
  indexCols: number;
  rows: number;
  blocks: Block[];
  globals: Float64Array;
  distinct: DistinctMerger;
}

function totals(blocks: Block[], col: number): Float64Array {
  const t = new Float64Array(K);
  for (const b of blocks) for (let i = 0; i < K; i++) t[i] += b.stats[col * K + i];
  return t;
}

function valueKind(t: Float64Array): ColumnProfile['valueKind'] {
  const ints = t[S.INT64] + t[S.UINT_ONLY] + t[S.BIGINT];
  const fl = t[S.FLOAT];
  const bo = t[S.BOOL];
  if (t[S.STR] > 0) return ints + fl + bo > 0 ? 'mixed' : 'string';
  if (bo > 0) return ints + fl > 0 ? 'mixed' : 'bool';
  if (fl > 0) return 'float';
  if (ints > 0) return 'integer';
  return 'empty';
}

/** What BooleanArray._from_sequence_of_strings takes (pandas 1.5 to 3) for a read_csv(dtype='boolean'). */
const BOOLEAN_DTYPE_SPELLINGS = new Set(['True', 'TRUE', 'true', 'False', 'FALSE', 'false']);

const DTYPE_ALIASES: Record<string, string> = {
  int: 'int64',
  float: 'float64',
  double: 'float64',
  datetime64: 'datetime64[ns]',
  'datetime64[ns]': 'datetime64[ns]',
  str: 'str',
  object: 'object',
};

/** Arrow string bytes of a column read as text: one chunk per low_memory block. */
function arrowTextBytes(blocks: Block[], col: number): number {
  let bytes = 0;
  for (const b of blocks) {
    const o = col * K;
    bytes += 8 * b.rows + b.stats[o + S.UTF8] + (b.stats[o + S.NA] > 0 ? Math.ceil(b.rows / 8) : 0);
  }
  return bytes;
}

/** Column read with an explicit dtype; null when the dtype is not one this engine models. */
function explicitColumn(
  requested: string,
  blocks: Block[],
  col: number,
  rows: number,
  t: Float64Array,
  model: PandasModel,
  categoryBytes: number | null,
): { dtype: string; bytes: number } | null {
  const d = DTYPE_ALIASES[requested] ?? requested;
  const textObject = 8 * rows + pyStrBytes(t, 0, model.python);
  if (d in ITEM_BYTES) return { dtype: d, bytes: rows * ITEM_BYTES[d] };
  if (d === 'category') return categoryBytes === null ? null : { dtype: 'category', bytes: categoryBytes };
  if (d === 'object') return { dtype: 'object', bytes: textObject + 24 * t[S.NA] };
  const p3 = versionAtLeast(model.pandas, 3);
  if (d === 'str') {
    if (!p3) return { dtype: 'object', bytes: textObject + 24 * t[S.NA] };
    return { dtype: 'str', bytes: model.pyarrow ? arrowTextBytes(blocks, col) : textObject + 24 * t[S.NA] };
  }
  if (d === 'string') {
    if (p3 && model.pyarrow) return { dtype: 'string', bytes: arrowTextBytes(blocks, col) };
    // StringDtype("python") holds pd.NA, whose getsizeof is 24 on pandas 1.5 and 56 on 2.x (measured).
    return { dtype: 'string', bytes: textObject + (versionAtLeast(model.pandas, 2) ? 56 : 24) * t[S.NA] };
  }
  return null;
}

function wanted(read: ReadOptions | undefined, name: string, position: number): boolean {
  if (!read?.usecols) return true;
  return read.usecols.some((u) => (typeof u === 'number' ? u === position : u === name));
}

function dtypeFor(read: ReadOptions | undefined, name: string): string | undefined {
  if (read?.dtype === undefined) return undefined;
  return typeof read.dtype === 'string' ? read.dtype : read.dtype[name];
}

export interface CsvColumnsResult {
  columns: ColumnProfile[];
  indexBytes: number;
  implicitIndex: ImplicitIndex | null;
  warnings: string[];
}

export function buildCsvColumns(
  scan: CsvScanSummary,
  model: PandasModel,
  read: ReadOptions | undefined,
): CsvColumnsResult {
  const { blocks, globals, rows } = scan;
  const warnings: string[] = [];
  const mixed: string[] = [];
  const offset = scan.indexCols;
  const index = describeImplicitIndex(scan, model);
  const indexBytes = index ? index.bytes : implicitIndexBytes(scan, model);
  if (index && typeof read?.dtype === 'string') {
    warnings.push(
      `dtype='${read.dtype}' also applies to the index columns pandas builds here; their size is shown as inferred.`,
    );
  }
  const columns: ColumnProfile[] = [];
  scan.names.forEach((name, position) => {
    if (!wanted(read, name, position)) return;
    const col = position + offset;
    const t = totals(blocks, col);
    const kind = valueKind(t);
    const g = col * GK;
    const distinct = scan.distinct.summary(col);
    const textual = kind === 'string' || kind === 'mixed';
    const categoryBytes =
      distinct.count === null || !(textual || kind === 'bool' || kind === 'integer' || kind === 'float')
        ? null
        : categoryColumnBytes(
            rows,
            distinct.count,
            distinct.pySizes(model.python),
            distinct.utf8Bytes,
            model,
            distinct.firstSeenSorted,
          );
    let sized: { dtype: string; bytes: number } = sizeColumn(blocks, col, model);
    const sizedInfo = sized as ReturnType<typeof sizeColumn>;
    const requested = dtypeFor(read, name);
    const dateLike = kind === 'string' && globals[g + G.DATE_SIG] > 0;
    if (requested !== undefined) {
      const explicit = explicitColumn(requested, blocks, col, rows, t, model, categoryBytes);
      if (explicit) sized = explicit;
      else warnings.push(`dtype '${requested}' for column '${name}' is not modelled; its inferred size is shown.`);
    } else if (read?.parseDates && Array.isArray(read.parseDates) && read.parseDates.includes(name)) {
      if (dateLike || (kind === 'empty' && rows > 0)) {
        sized = { dtype: versionAtLeast(model.pandas, 3) ? 'datetime64[us]' : 'datetime64[ns]', bytes: 8 * rows };
      } else
        warnings.push(`Column '${name}' does not hold dates in one consistent format; pandas would leave it as text.`);
    } else if (sizedInfo.warn) mixed.push(versionAtLeast(model.pandas, 3) ? `${position}: ${name}` : String(position));
    const numeric = kind === 'integer' || kind === 'float' || kind === 'bool';
    const isFloat = sized.dtype === 'float64' && (kind === 'float' || kind === 'integer');
    columns.push({
      name,
      dtype: sized.dtype,
      bytes: sized.bytes,
      nulls: t[S.NA],
      distinct: distinct.count,
      highCardinality: distinct.count === null,
      valueKind: kind,
      min: numeric ? globals[g + G.MIN] : null,
      max: numeric ? globals[g + G.MAX] : null,
      zeros: globals[g + G.ZEROS],
      allIntegral: kind === 'integer' || (kind === 'float' && globals[g + G.INTEGRAL] === 1),
      float32: isFloat
        ? { maxRelativeError: globals[g + G.F32_ERR], preservesWrittenPrecision: globals[g + G.F32_KEEPS] === 1 }
        : null,
      dateLike,
      oddBoolSpellings: kind === 'bool' ? distinct.values.filter((v) => !BOOLEAN_DTYPE_SPELLINGS.has(v)) : [],
      categoryBytes: textual ? categoryBytes : null,
    });
  });
  if (mixed.length > 0) {
    warnings.push(
      `DtypeWarning: Columns (${mixed.join(',')}) have mixed types. Specify dtype option on import or set low_memory=False.`,
    );
  }
  if (usesArrowStrings(model) === false && versionAtLeast(model.pandas, 3)) {
    warnings.push('pandas 3 without pyarrow stores text as Python objects (larger than arrow strings).');
  }
  return { columns, indexBytes, implicitIndex: index, warnings };
}
