/**
 * Layout of the additive per-column statistics a scan keeps for every micro-block of rows. They are
 * sums and counts only, so blocks add up and pandas' low_memory blocks can be rebuilt from them
 * whatever row a byte range started at.
 */

/** Indices into one column's slice of a block statistics array. */
export const S = {
  /** NA fields (empty, quoted empty, NA spellings, missing trailing fields). */
  NA: 0,
  /** Integers within int64. */
  INT64: 1,
  /** Integers above int64 max, within uint64. */
  UINT_ONLY: 2,
  /** Integers outside both int64 and uint64. */
  BIGINT: 3,
  /** Negative integers within int64 (with a UINT_ONLY value they make pandas keep the text). */
  NEG: 4,
  FLOAT: 5,
  BOOL: 6,
  /** Everything else: text. */
  STR: 7,
  /** Text of every non-NA field, by the width CPython would store it in: count and code points. */
  ASCII_N: 8,
  ASCII_LEN: 9,
  LATIN1_N: 10,
  LATIN1_LEN: 11,
  UCS2_N: 12,
  UCS2_LEN: 13,
  UCS4_N: 14,
  UCS4_LEN: 15,
  /** UTF-8 bytes of every non-NA field (arrow strings). */
  UTF8: 16,
  /** Sum of sys.getsizeof(int(v)) over integer fields on CPython >= 3.11 (0 counted as 28). */
  PYINT: 17,
  /** Integer fields equal to zero (getsizeof(0) is 24 before CPython 3.11). */
  INT_ZERO: 18,
  /** Bool fields (also counted in BOOL) that are true; unused by sizing, kept for sparse advice. */
  BOOL_TRUE: 19,
  /** Characters of NA spellings (pandas keeps them as text when an int column conflicts with uint64). */
  NA_LEN: 20,
} as const;
export const K = 21;

/** Indices into one column's slice of the whole-range (not per block) statistics. */
export const G = {
  MIN: 0,
  MAX: 1,
  ZEROS: 2,
  /** Max relative error of float32 over numeric fields. */
  F32_ERR: 3,
  /** 1 while every numeric field round-trips through float32 at its written precision. */
  F32_KEEPS: 4,
  /** 1 while every numeric field is a whole number. */
  INTEGRAL: 5,
  /** Signature of the date shape seen (0: none yet, -1: not date-like). */
  DATE_SIG: 6,
  /** Numeric fields seen (ints, floats, bools). */
  NUMERIC: 7,
  /**
   * Whether the column is an arithmetic sequence of int64 values (first, last, step, count, 1/0):
   * pandas 3 turns such an implicit index column into a RangeIndex.
   */
  SEQ_FIRST: 8,
  SEQ_LAST: 9,
  SEQ_STEP: 10,
  SEQ_N: 11,
  SEQ_OK: 12,
} as const;
export const GK = 13;

export function newGlobals(ncols: number): Float64Array {
  const g = new Float64Array(ncols * GK);
  for (let c = 0; c < ncols; c++) {
    g[c * GK + G.MIN] = Infinity;
    g[c * GK + G.MAX] = -Infinity;
    g[c * GK + G.F32_KEEPS] = 1;
    g[c * GK + G.INTEGRAL] = 1;
    g[c * GK + G.SEQ_OK] = 1;
  }
  return g;
}

/**
 * Adds the next value of column g's int64 fields to its arithmetic-sequence check. A step of 0 ends it:
 * pandas makes a RangeIndex only of a step that is not 0 (implicitIndex.ts), and while the check holds
 * the scan kernel folds in every value of the column in full (3M rows of a constant first column and
 * an empty one: 179 ms of CPU, against 71 once a step of 0 ends the check).
 */
export function foldSequence(gl: Float64Array, g: number, v: number, range: number): void {
  const n = gl[g + G.SEQ_N];
  if (range !== 0 || !Number.isSafeInteger(v)) gl[g + G.SEQ_OK] = 0;
  else if (n === 0) gl[g + G.SEQ_FIRST] = v;
  else if (n === 1) {
    gl[g + G.SEQ_STEP] = v - gl[g + G.SEQ_LAST];
    if (v === gl[g + G.SEQ_LAST]) gl[g + G.SEQ_OK] = 0;
  } else if (v - gl[g + G.SEQ_LAST] !== gl[g + G.SEQ_STEP]) gl[g + G.SEQ_OK] = 0;
  gl[g + G.SEQ_LAST] = v;
  gl[g + G.SEQ_N] = n + 1;
}

/** Folds `b` (a later range) into `a`. */
export function mergeGlobals(a: Float64Array, b: Float64Array, ncols: number): void {
  for (let c = 0; c < ncols; c++) {
    const o = c * GK;
    a[o + G.MIN] = Math.min(a[o + G.MIN], b[o + G.MIN]);
    a[o + G.MAX] = Math.max(a[o + G.MAX], b[o + G.MAX]);
    a[o + G.ZEROS] += b[o + G.ZEROS];
    a[o + G.F32_ERR] = Math.max(a[o + G.F32_ERR], b[o + G.F32_ERR]);
    a[o + G.F32_KEEPS] = Math.min(a[o + G.F32_KEEPS], b[o + G.F32_KEEPS]);
    a[o + G.INTEGRAL] = Math.min(a[o + G.INTEGRAL], b[o + G.INTEGRAL]);
    a[o + G.NUMERIC] += b[o + G.NUMERIC];
    mergeSequence(a, b, o);
    const sa = a[o + G.DATE_SIG];
    const sb = b[o + G.DATE_SIG];
    if (sa === 0) a[o + G.DATE_SIG] = sb;
    else if (sb !== 0 && sb !== sa) a[o + G.DATE_SIG] = -1;
  }
}

/** Joins the sequence of a later range `b` onto `a` (both at offset o). */
function mergeSequence(a: Float64Array, b: Float64Array, o: number): void {
  const na = a[o + G.SEQ_N];
  const nb = b[o + G.SEQ_N];
  let ok = a[o + G.SEQ_OK] === 1 && b[o + G.SEQ_OK] === 1;
  if (na === 0) {
    for (const k of [G.SEQ_FIRST, G.SEQ_LAST, G.SEQ_STEP, G.SEQ_N]) a[o + k] = b[o + k];
  } else if (nb > 0) {
    const join = b[o + G.SEQ_FIRST] - a[o + G.SEQ_LAST];
    const step = na >= 2 ? a[o + G.SEQ_STEP] : nb >= 2 ? b[o + G.SEQ_STEP] : join;
    ok = ok && join === step && step !== 0 && (nb < 2 || b[o + G.SEQ_STEP] === step);
    a[o + G.SEQ_LAST] = b[o + G.SEQ_LAST];
    a[o + G.SEQ_STEP] = step;
    a[o + G.SEQ_N] = na + nb;
  }
  a[o + G.SEQ_OK] = ok ? 1 : 0;
}

export function addStats(into: Float64Array, intoOffset: number, from: Float64Array, fromOffset: number, n: number) {
  for (let i = 0; i < n; i++) into[intoOffset + i] += from[fromOffset + i];
}
