/**
 * pandas' per-block dtype decision (C parser, low_memory) and the merge of blocks into a column,
 * from the additive statistics of fieldStats.ts. Checked against real pandas in
 * test/integration/footprint.
 */
import { K, S } from './fieldStats';
import { pyStrSize, rangeIndexBytes, versionAtLeast } from './pandasSizes';
import type { PandasModel } from './types';

/**
 * int64/uint64/float64/bool: numpy blocks. str: text with NaN for NA. strraw: text, NA spellings kept
 * as text (uint64 conflicts). objbool: Python bools and NaN. pyint: Python ints and NaN (pandas 3,
 * integers beyond uint64).
 */
export type BlockType = 'int64' | 'uint64' | 'float64' | 'bool' | 'str' | 'strraw' | 'objbool' | 'pyint';

export interface Block {
  rows: number;
  /** ncols * K statistics. */
  stats: Float64Array;
}

/** The statistics whose being non-zero decides a block's type (blockType) and its sizing (NA). */
const KIND_STATS = [S.NA, S.INT64, S.UINT_ONLY, S.BIGINT, S.NEG, S.FLOAT, S.BOOL, S.STR];

/**
 * Which KIND_STATS of a block are non-zero, as bits: blocks with the same kinds have the same type.
 * (Everything else the sizes below read from a block's statistics is a linear sum.)
 */
export function blockKinds(st: Float64Array, o: number): number {
  let bits = 0;
  for (let i = 0; i < KIND_STATS.length; i++) if (st[o + KIND_STATS[i]] > 0) bits |= 1 << i;
  return bits;
}

/** A block's type: reads only which KIND_STATS are non-zero (blockKinds). */
export function blockType(st: Float64Array, o: number, model: PandasModel): BlockType {
  const na = st[o + S.NA];
  const uo = st[o + S.UINT_ONLY];
  const big = st[o + S.BIGINT];
  const neg = st[o + S.NEG];
  const fl = st[o + S.FLOAT];
  const ints = st[o + S.INT64] + uo + big;
  if (st[o + S.STR] > 0) return 'str';
  if (st[o + S.BOOL] > 0) return ints + fl > 0 ? 'str' : na > 0 ? 'objbool' : 'bool';
  if (big > 0) {
    if (fl > 0 || !versionAtLeast(model.pandas, 3)) return 'str';
    return uo > 0 && (neg > 0 || na > 0) ? 'strraw' : 'pyint';
  }
  if (uo > 0) {
    if (neg > 0 || na > 0) return 'strraw';
    return fl > 0 ? 'float64' : 'uint64';
  }
  if (fl > 0 || na > 0) return 'float64';
  if (ints === 0) return 'float64';
  return 'int64';
}

const NUMPY: ReadonlySet<BlockType> = new Set(['int64', 'uint64', 'float64', 'bool']);

/** The column dtype after pandas concatenates its blocks, and whether it warns (DtypeWarning). */
export function mergedType(types: BlockType[], model: PandasModel): { type: BlockType | 'object'; warn: boolean } {
  const set = new Set(types.map((t) => (t === 'strraw' ? 'str' : t)));
  if (set.size === 0) return { type: 'object', warn: false };
  if (set.size === 1) return { type: types.includes('strraw') ? 'strraw' : types[0], warn: false };
  if ([...set].every((t) => NUMPY.has(t))) {
    const legacy = !versionAtLeast(model.pandas, 2);
    if (set.has('bool') && !legacy) return { type: 'object', warn: true };
    if (set.has('float64') || (set.has('int64') && set.has('uint64'))) return { type: 'float64', warn: false };
    return { type: set.has('uint64') ? 'uint64' : 'int64', warn: false };
  }
  return { type: 'object', warn: true };
}

/** Sum of sys.getsizeof over the text of the non-NA fields. */
export function pyStrBytes(st: Float64Array, o: number, python: string): number {
  return (
    st[o + S.ASCII_N] * pyStrSize(0, 0, python) +
    st[o + S.ASCII_LEN] +
    st[o + S.LATIN1_N] * pyStrSize(0, 200, python) +
    st[o + S.LATIN1_LEN] +
    st[o + S.UCS2_N] * pyStrSize(0, 300, python) +
    2 * st[o + S.UCS2_LEN] +
    st[o + S.UCS4_N] * pyStrSize(0, 70000, python) +
    4 * st[o + S.UCS4_LEN]
  );
}

function pyIntBytes(st: Float64Array, o: number, python: string): number {
  return st[o + S.PYINT] - (versionAtLeast(python, 3, 11) ? 0 : 4 * st[o + S.INT_ZERO]);
}

const NAN_BYTES = 24;

/** getsizeof of every element a block contributes to an object column. */
export function objectElementBytes(type: BlockType, rows: number, st: Float64Array, o: number, python: string): number {
  switch (type) {
    case 'str':
      return pyStrBytes(st, o, python) + NAN_BYTES * st[o + S.NA];
    case 'strraw':
      return pyStrBytes(st, o, python) + (st[o + S.NA] * pyStrSize(0, 0, python) + st[o + S.NA_LEN]);
    case 'int64':
    case 'uint64':
      return pyIntBytes(st, o, python);
    case 'pyint':
      return pyIntBytes(st, o, python) + NAN_BYTES * st[o + S.NA];
    case 'float64':
      return NAN_BYTES * rows;
    case 'bool':
      return 28 * rows;
    case 'objbool':
      return 28 * st[o + S.BOOL] + NAN_BYTES * st[o + S.NA];
  }
}

export interface ColumnSizing {
  dtype: string;
  bytes: number;
  type: BlockType | 'object';
}

/** dtype and deep bytes of column `col` read from `blocks` under `model`. */
export function sizeColumn(blocks: Block[], col: number, model: PandasModel): ColumnSizing & { warn: boolean } {
  const o = col * K;
  const types = blocks.map((b) => blockType(b.stats, o, model));
  const { type, warn } = mergedType(types, model);
  let rows = 0;
  for (const b of blocks) rows += b.rows;
  const p3 = versionAtLeast(model.pandas, 3);
  const py = model.python;
  switch (type) {
    case 'int64':
    case 'uint64':
    case 'float64':
      return { dtype: type, bytes: 8 * rows, type, warn };
    case 'bool':
      return { dtype: 'bool', bytes: rows, type, warn };
    case 'str':
    case 'strraw': {
      if (!p3) {
        let bytes = 8 * rows;
        blocks.forEach((b, i) => (bytes += objectElementBytes(types[i], b.rows, b.stats, o, py)));
        return { dtype: 'object', bytes, type, warn };
      }
      return { dtype: 'str', bytes: strColumnBytes(blocks, types, o, model), type, warn };
    }
    default: {
      let bytes = 8 * rows;
      const numericBools = boolsBecomeNumbers(types, model);
      blocks.forEach((b, i) => {
        if (numericBools === 'float') bytes += NAN_BYTES * b.rows;
        else if (numericBools === 'int' && types[i] === 'bool') {
          const trues = b.stats[o + S.BOOL_TRUE];
          bytes += 28 * trues + (versionAtLeast(py, 3, 11) ? 28 : 24) * (b.rows - trues);
        } else bytes += objectElementBytes(types[i], b.rows, b.stats, o, py);
      });
      return { dtype: 'object', bytes, type, warn };
    }
  }
}

/**
 * pandas 2.x concatenates a numpy bool block with numpy number blocks into an object column of
 * numbers: the bools become Python floats beside a float64 block (24 bytes), else Python ints
 * (True 28 bytes, False 28 or 24 before CPython 3.11). pandas 3 keeps them Python bools (measured on
 * 2.2.3 and 3.0.6).
 */
function boolsBecomeNumbers(types: BlockType[], model: PandasModel): 'float' | 'int' | null {
  if (!versionAtLeast(model.pandas, 2) || versionAtLeast(model.pandas, 3)) return null;
  if (!types.includes('bool') || !types.every((t) => NUMPY.has(t))) return null;
  if (types.every((t) => t === 'bool')) return null;
  return types.includes('float64') ? 'float' : 'int';
}

/** pandas 3 `str` column: arrow chunks (one per low_memory block) or Python strings without pyarrow. */
function strColumnBytes(blocks: Block[], types: BlockType[], o: number, model: PandasModel): number {
  let bytes = 0;
  blocks.forEach((b, i) => {
    const st = b.stats;
    if (!model.pyarrow) {
      bytes += 8 * b.rows + objectElementBytes(types[i], b.rows, st, o, model.python);
      return;
    }
    const raw = types[i] === 'strraw';
    const nulls = raw ? 0 : st[o + S.NA];
    bytes += 8 * b.rows + st[o + S.UTF8] + (raw ? st[o + S.NA_LEN] : 0) + (nulls > 0 ? Math.ceil(b.rows / 8) : 0);
  });
  return bytes;
}

export function defaultIndexBytes(model: PandasModel): number {
  return rangeIndexBytes(model);
}
