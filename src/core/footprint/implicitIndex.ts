/**
 * The index pandas builds from a CSV whose data rows have more fields than the header has names: the
 * first extra fields become the index (an Index for one, a MultiIndex for several), e.g.
 * scikit-learn's breast_cancer.csv, whose first line is a count header. Sized as
 * `memory_usage(deep=True)` counts it (measured on pandas 1.5.3, 2.2.3 and 3.0.6):
 * - Index: the column as read (low_memory blocks merged), no hash table; pandas 3 makes an int64
 *   arithmetic sequence a RangeIndex.
 * - MultiIndex: per level, its sorted distinct non-NA values as an Index, plus its codes (int8 below
 *   127 values, then int16, int32), plus getsizeof(None) = 16 per unnamed level. pandas < 3 counts
 *   each level's hash table (built by the uniqueness check of MultiIndex.from_arrays); pandas 3 builds
 *   none but its arrow `str` levels carry a validity bitmap from the sort's take.
 */
import { type Block, sizeColumn } from './blockTypes';
import type { DistinctMerger } from './distinct';
import { G } from './fieldStats';
import {
  categoryCodeBytes,
  categoryHashTableBytes,
  PY_OBJECT_BYTES,
  rangeIndexBytes,
  usesArrowStrings,
  versionAtLeast,
} from './pandasSizes';
import { FootprintError, type ImplicitIndex, type PandasModel } from './types';

export interface IndexScan {
  /** Leading fields that pandas makes the index (0: a RangeIndex). */
  indexCols: number;
  /** Names the header gives (the columns after the index). */
  names: string[];
  rows: number;
  blocks: Block[];
  globals: Float64Array;
  distinct: DistinctMerger;
}

/** khash bucket bytes: uint8 keys (BoolEngine) hold 1 + 8 bytes a bucket, the others 8 + 8. */
function hashTableBytes(k: number, boolKeys: boolean): number {
  if (!boolKeys) return categoryHashTableBytes(k);
  let nb = 4;
  while (nb < k) nb *= 2;
  if (Math.trunc(nb * 0.77 + 0.5) < k) nb *= 2;
  return 40 + 4 * Math.max(1, nb >> 5) + 9 * nb;
}

function parseFloatField(text: string): number {
  const t = text.trim().toLowerCase();
  const m = /^([+-]?)inf(inity)?$/.exec(t);
  if (m) return m[1] === '-' ? -Infinity : Infinity;
  return Number(t);
}

function notModelled(level: number, what: string): FootprintError {
  return new FootprintError(
    'unsupported',
    `pandas would build a MultiIndex from the leading fields, and its level ${level} ${what}, which Headroom does not size exactly.`,
    'Pass index_col=False (the header names the first fields) or header=None to read every field as a column.',
  );
}

/** Deep bytes of one MultiIndex level (its Index and, before pandas 3, its hash table) and its distinct count. */
function levelBytes(scan: IndexScan, col: number, model: PandasModel): { bytes: number; count: number } {
  const type = sizeColumn(scan.blocks, col, model).type;
  const d = scan.distinct.summary(col);
  if (d.count === null) throw notModelled(col, 'has more distinct values than Headroom tracks (65,536)');
  const legacy = !versionAtLeast(model.pandas, 3);
  const hash = (k: number, boolKeys = false) => (legacy ? hashTableBytes(k, boolKeys) : 0);
  switch (type) {
    case 'int64':
    case 'uint64': {
      const k = new Set(d.values.map((v) => BigInt(v.trim()).toString())).size;
      return { bytes: 8 * k + hash(k), count: k };
    }
    case 'float64': {
      const k = new Set(d.values.map(parseFloatField)).size;
      return { bytes: 8 * k + hash(k), count: k };
    }
    case 'bool':
    case 'objbool': {
      // Python bools and NaN: the level holds the distinct bools, which Index infers as bool
      const k = new Set(d.values.map((v) => v.trim().toLowerCase())).size;
      return { bytes: k + hash(k, true), count: k };
    }
    case 'str': {
      const k = d.count;
      if (usesArrowStrings(model)) return { bytes: 8 * k + d.utf8Bytes + Math.ceil(k / 8), count: k };
      // factorize hashes text through its UTF-8 form, which CPython then keeps in every non-ASCII str
      // (getsizeof counts it: its UTF-8 bytes and a NUL)
      let cached = 0;
      for (const v of d.values) {
        const utf8 = Buffer.byteLength(v, 'utf8');
        if (utf8 !== v.length) cached += utf8 + 1;
      }
      return { bytes: 8 * k + d.pySizes(model.python) + cached + hash(k), count: k };
    }
    default:
      throw notModelled(col, 'mixes text with other values (or NA spellings kept as text)');
  }
}

function indexBytes(scan: IndexScan, model: PandasModel): number {
  const { indexCols, rows, globals } = scan;
  if (indexCols === 0) return rows === 0 && !versionAtLeast(model.pandas, 2) ? 0 : rangeIndexBytes(model);
  if (indexCols === 1) {
    const index = sizeColumn(scan.blocks, 0, model);
    // pandas 3 turns an int64 index that is an arithmetic sequence (>= 2 values, step != 0) into a RangeIndex
    const arithmetic = globals[G.SEQ_OK] === 1 && globals[G.SEQ_N] >= 2 && globals[G.SEQ_STEP] !== 0;
    if (versionAtLeast(model.pandas, 3) && index.type === 'int64' && arithmetic) return rangeIndexBytes(model);
    return index.bytes;
  }
  let bytes = 0;
  for (let col = 0; col < indexCols; col++) {
    const level = levelBytes(scan, col, model);
    bytes += level.bytes + rows * categoryCodeBytes(level.count) + PY_OBJECT_BYTES.none;
  }
  return bytes;
}

/** Bytes of the index pandas builds under `model` (a RangeIndex when the header names every field). */
export function implicitIndexBytes(scan: IndexScan, model: PandasModel): number {
  return indexBytes(scan, model);
}

/** The implicit index and what the two ways of turning it into ordinary columns would give; null without one. */
export function describeImplicitIndex(scan: IndexScan, model: PandasModel): ImplicitIndex | null {
  if (scan.indexCols === 0) return null;
  const fields = scan.indexCols + scan.names.length;
  const columnBytes = (n: number) => {
    let sum = scan.rows === 0 && !versionAtLeast(model.pandas, 2) ? 0 : rangeIndexBytes(model);
    for (let col = 0; col < n; col++) sum += sizeColumn(scan.blocks, col, model).bytes;
    return sum;
  };
  return {
    levels: scan.indexCols,
    kind: scan.indexCols === 1 ? 'Index' : 'MultiIndex',
    bytes: indexBytes(scan, model),
    indexColFalseBytes: columnBytes(scan.names.length),
    allColumnsBytes: columnBytes(fields),
  };
}
