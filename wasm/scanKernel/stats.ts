// The column statistics of a scan (layout.ts): the current micro-block's (cur) and the whole range's
// (glob), and how a classified field is folded into them. A value seen again is only counted (per set
// entry, countRepeat); the counts are folded in from the entry's notes when the block ends.
import { float32Keeps } from './host';
import { alloc } from './heap';
import { countOf, infoOf, releaseGivenUp, valueLength } from './sets';
import { float32KeepsFast, pIntRange, pNegative, pPyIntSize, pSig, pValue } from './numbers';
import {
  ASCII_LEN,
  ASCII_N,
  BIGINT,
  BOOL,
  BOOL_TRUE,
  FLOAT,
  G_DATE_SIG,
  G_F32_ERR,
  G_F32_KEEPS,
  G_INTEGRAL,
  G_MAX,
  G_MIN,
  G_NUMERIC,
  G_SEQ_FIRST,
  G_SEQ_LAST,
  G_SEQ_N,
  G_SEQ_OK,
  G_SEQ_STEP,
  G_ZEROS,
  GK,
  INT64,
  INT_ZERO,
  K,
  KIND_BOOL,
  KIND_FLOAT,
  KIND_INT,
  KIND_STR,
  NEG,
  PYINT,
  STR,
  UINT_ONLY,
  UTF8,
} from './layout';

let columns = 0;
export let cur: usize = 0;
export let glob: usize = 0;
/** Per column: bytes of the number fields of the current block. */
let numLen: usize = 0;
/** (column, entry) pairs whose count is not zero in the current block. */
let touched: usize = 0;
let touchedLen: usize = 0;
let touchedRoom: usize = 0;
/**
 * Per column: 1 when a value seen before is folded in at once rather than counted. Counting pays off
 * when values repeat within a block (bools, small ints, cities); a column of a few thousand values
 * (dates, ratings) sees most of them once or twice a block, and counting them first only adds the
 * work of the touched list. Chosen from the last block that counted: entries touched > a quarter of
 * its rows (dates, ratings and 5,000 amounts: 10-15% less time than counting; bools and 100 small ints
 * stay counted).
 */
let foldNow: usize = 0;
/** Per column: entries touched in the current block (u32). */
let touchedOf: usize = 0;
let blocks: u32 = 0;

export function statsUp(ncols: i32): void {
  columns = ncols;
  cur = alloc(<usize>ncols * K * 8);
  glob = alloc(<usize>ncols * GK * 8);
  numLen = alloc(<usize>ncols * 8);
  touchedRoom = 1024;
  touched = alloc(touchedRoom * 8);
  touchedLen = 0;
  foldNow = alloc(<usize>ncols);
  touchedOf = alloc(<usize>ncols * 4);
  blocks = 0;
  for (let c = 0; c < ncols; c++) {
    const g = glob + <usize>c * GK * 8;
    store<f64>(g, Infinity, G_MIN * 8);
    store<f64>(g, -Infinity, G_MAX * 8);
    store<f64>(g, 1, G_F32_KEEPS * 8);
    store<f64>(g, 1, G_INTEGRAL * 8);
    store<f64>(g, 1, G_SEQ_OK * 8);
  }
}

export function stAt(col: i32, k: i32): usize {
  return cur + ((<usize>(col * K + k)) << 3);
}
export function glAt(col: i32, k: i32): usize {
  return glob + ((<usize>(col * GK + k)) << 3);
}
export function bump(at: usize, by: f64): void {
  store<f64>(at, load<f64>(at) + by);
}
function numLenOf(col: i32): usize {
  return numLen + ((<usize>col) << 3);
}

// Per value noted in a set (info): kind and flags, then the code points and UTF-8 bytes of text, or
// the getsizeof of an integer (in the code points' place).
const KIND_BITS = 7;
const RANGE_SHIFT = 3;
const NEG_FLAG = 1 << 5;
const ZERO_FLAG = 1 << 6;
const TRUE_FLAG = 1 << 7;
const WIDTH_SHIFT = 8;

export function noteText(info: usize, width: i32, codePoints: i32, utf8Bytes: i32): void {
  store<i32>(info, KIND_STR | (width << WIDTH_SHIFT));
  store<i32>(info, codePoints, 4);
  store<i32>(info, utf8Bytes, 8);
}

export function noteNumber(info: usize, kind: i32): void {
  const v = pValue;
  let f = kind | (v == 0 ? ZERO_FLAG : 0);
  if (kind == KIND_BOOL && v != 0) f |= TRUE_FLAG;
  if (kind == KIND_INT) {
    f |= (pIntRange << RANGE_SHIFT) | (pNegative ? NEG_FLAG : 0);
    store<i32>(info, pPyIntSize, 4);
  }
  store<i32>(info, f);
}

/** Counts a value seen before in column col's set; its notes are folded in when the block ends. */
export function countRepeat(col: i32, entry: i32): void {
  Repeats.count(col, entry);
}

/** The first count of an entry in a block: it joins the entries folded in when the block ends. */
function touch(col: i32, entry: i32): void {
  if (touchedLen == touchedRoom) {
    const bigger = alloc(touchedRoom * 16);
    memory.copy(bigger, touched, touchedRoom * 8);
    touched = bigger;
    touchedRoom *= 2;
  }
  store<u32>(touched + touchedLen * 8, col);
  store<u32>(touched + touchedLen * 8, entry, 4);
  touchedLen++;
}

/** countRepeat, inlined where it is called (the tokenizer's loop counts the commonest fields). */
export class Repeats {
  @inline static count(col: i32, entry: i32): void {
    const at = countOf(col, entry);
    const n = load<u32>(at);
    store<u32>(at, n + 1);
    if (n == 0) touch(col, entry);
  }

  /**
   * ASCII text of `len` bytes seen before whose entry is not looked up (an ISO date its column's bitmap
   * knows, codes.ts): its notes are those noteText kept for it.
   */
  @inline static ascii(col: i32, len: i32): void {
    Noted.text(col, ASCII_N, <f64>len, <f64>len, 1);
  }

  /** A value of `len` bytes seen before: counted, or folded in at once (foldNow). */
  @inline static seen(col: i32, entry: i32, len: i32): void {
    if (load<u8>(foldNow + <usize>col) != 0) repeatValue(col, infoOf(col, entry), len, 1);
    else Repeats.count(col, entry);
  }
}

/**
 * How `n` more of a value seen before fold in, given what noteText/noteNumber kept of it: repeatValue
 * reads that from the value's entry, and the tokenizer's loop knows it without a look for a code its
 * column's bitmap knows (Repeats.ascii, Fold.repeatInt, Fold.repeatDecimal). Inlined in each.
 */
class Noted {
  @inline static text(col: i32, width: i32, codePoints: f64, utf8Bytes: f64, n: f64): void {
    bump(stAt(col, STR), n);
    bump(stAt(col, width), n);
    bump(stAt(col, width + 1), n * codePoints);
    bump(stAt(col, UTF8), n * utf8Bytes);
  }

  /** What every number or bool adds: its bytes, and whether it is zero. */
  @inline static number(col: i32, len: i32, zero: bool, n: f64): void {
    bump(numLenOf(col), n * <f64>len);
    if (zero) bump(glAt(col, G_ZEROS), n);
  }

  /** An integer of int64 (range 0), uint64 only (1) or beyond (2). */
  @inline static int(col: i32, range: i32, negative: bool, pyIntSize: f64, zero: bool, n: f64): void {
    bump(stAt(col, range == 0 ? INT64 : range == 1 ? UINT_ONLY : BIGINT), n);
    if (negative && range == 0) bump(stAt(col, NEG), n);
    bump(stAt(col, PYINT), n * pyIntSize);
    if (zero) bump(stAt(col, INT_ZERO), n);
  }
}

/** Folds in `n` more of a value from what noteText/noteNumber kept. */
function repeatValue(col: i32, info: usize, len: i32, n: f64): void {
  const f = load<i32>(info);
  const kind = f & KIND_BITS;
  if (kind == KIND_STR) {
    Noted.text(col, f >> WIDTH_SHIFT, <f64>load<i32>(info, 4), <f64>load<i32>(info, 8), n);
    return;
  }
  const zero = (f & ZERO_FLAG) != 0;
  Noted.number(col, len, zero, n);
  if (kind == KIND_BOOL) {
    bump(stAt(col, BOOL), n);
    if ((f & TRUE_FLAG) != 0) bump(stAt(col, BOOL_TRUE), n);
  } else if (kind == KIND_INT)
    Noted.int(col, (f >> RANGE_SHIFT) & 3, (f & NEG_FLAG) != 0, <f64>load<i32>(info, 4), zero, n);
  else bump(stAt(col, FLOAT), n);
}

/**
 * Completes the current block's statistics (of `rows` rows): the counted repeats, and the text counts
 * of numbers. (The sums are of whole numbers: folding a value in at once or counted gives the same.)
 */
export function closeBlock(rows: i32): void {
  for (let i: usize = 0; i < touchedLen; i++) {
    const col = load<i32>(touched + i * 8);
    const entry = load<i32>(touched + i * 8, 4);
    const at = countOf(col, entry);
    repeatValue(col, infoOf(col, entry), valueLength(col, entry), <f64>load<u32>(at));
    store<u32>(at, 0);
    const t = touchedOf + ((<usize>col) << 2);
    store<u32>(t, load<u32>(t) + 1);
  }
  touchedLen = 0;
  // A column folding at once touches nothing: every 16th block counts again, to look afresh.
  const probe = (++blocks & 15) == 0;
  for (let col = 0; col < columns; col++) {
    const t = touchedOf + ((<usize>col) << 2);
    const n = load<u32>(t);
    if (n * 4 > <u32>rows) store<u8>(foldNow + <usize>col, 1);
    else if (n > 0 || probe) store<u8>(foldNow + <usize>col, 0);
    store<u32>(t, 0);
  }
  releaseGivenUp(columns);
  for (let col = 0; col < columns; col++) {
    const o = stAt(col, 0);
    const numbers =
      load<f64>(o, INT64 * 8) +
      load<f64>(o, UINT_ONLY * 8) +
      load<f64>(o, BIGINT * 8) +
      load<f64>(o, FLOAT * 8) +
      load<f64>(o, BOOL * 8);
    const bytes = load<f64>(numLenOf(col));
    store<f64>(o, load<f64>(o, ASCII_N * 8) + numbers, ASCII_N * 8);
    store<f64>(o, load<f64>(o, ASCII_LEN * 8) + bytes, ASCII_LEN * 8);
    store<f64>(o, load<f64>(o, UTF8 * 8) + bytes, UTF8 * 8);
    bump(glAt(col, G_NUMERIC), numbers);
    store<f64>(numLenOf(col), 0);
  }
}

/** 1 - 2^-50: a product of two roundings this much below a * maxErr is below it exactly. */
const ERR_MARGIN: f64 = 1 - 8.881784197001252e-16;

function isSafeInteger(v: f64): bool {
  return isFinite<f64>(v) && Math.floor(v) == v && Math.abs(v) <= 9007199254740991;
}

/** Inlined where it is called: the tokenizer's loop, fields.ts and Fold.number. */
export class Sequence {
  /**
   * Whether column col is a possible index whose arithmetic-sequence check still holds: it must see
   * every value in order, repeats included, so none may be counted without being folded in.
   */
  @inline static watched(col: i32): bool {
    return col == 0 && load<f64>(glob, G_SEQ_OK * 8) != 0;
  }
}

/** Adds the next int64 value of column col to its arithmetic-sequence check (foldSequence of fieldStats.ts). */
function foldSequence(col: i32, v: f64, range: i32): void {
  const n = load<f64>(glAt(col, G_SEQ_N));
  const last = load<f64>(glAt(col, G_SEQ_LAST));
  if (range != 0 || !isSafeInteger(v)) store<f64>(glAt(col, G_SEQ_OK), 0);
  else if (n == 0) store<f64>(glAt(col, G_SEQ_FIRST), v);
  else if (n == 1) {
    store<f64>(glAt(col, G_SEQ_STEP), v - last);
    if (v == last) store<f64>(glAt(col, G_SEQ_OK), 0);
  } else if (v - last != load<f64>(glAt(col, G_SEQ_STEP))) store<f64>(glAt(col, G_SEQ_OK), 0);
  store<f64>(glAt(col, G_SEQ_LAST), v);
  store<f64>(glAt(col, G_SEQ_N), n + 1);
}

/** Folds in a number or bool field of `len` ASCII bytes, classified into the parsed state. */
export function foldNumber(col: i32, kind: i32, len: i32): void {
  Fold.number(col, kind, len);
}

/** foldNumber, inlined where it is called (the tokenizer's loop, for high-cardinality number columns). */
export class Fold {
  /**
   * A number in the parsed state that this scan folded in before (a code its column's bitmap knows,
   * codes.ts: a plain integer below 2^14, an int64 and not negative), folded in as repeatValue folds
   * its notes: the range's minimum, maximum and float32 error hold it already. Not for an index
   * column's sequence check, which needs every value (Fold.number).
   */
  @inline static repeatInt(col: i32, len: i32): void {
    const zero = pValue == 0;
    Noted.number(col, len, zero, 1);
    Noted.int(col, 0, false, <f64>pPyIntSize, zero, 1);
  }

  /** A plain decimal of `len` bytes that this scan folded in before (codes.ts), as repeatInt. */
  @inline static repeatDecimal(col: i32, len: i32, zero: bool): void {
    Noted.number(col, len, zero, 1);
    bump(stAt(col, FLOAT), 1);
  }

  /** Folds in a number or bool field of `len` ASCII bytes, classified into the parsed state. */
  @inline static number(col: i32, kind: i32, len: i32): void {
    // ASCII_N, ASCII_LEN, UTF8 and G_NUMERIC of numbers are added up when the block ends
    bump(numLenOf(col), <f64>len);
    const g = glob + ((<usize>(col * GK)) << 3);
    store<f64>(g, -1, G_DATE_SIG * 8);
    if (kind != KIND_INT) store<f64>(g, 0, G_SEQ_OK * 8);
    const v = pValue;
    if (v < load<f64>(g, G_MIN * 8)) store<f64>(g, v, G_MIN * 8);
    if (v > load<f64>(g, G_MAX * 8)) store<f64>(g, v, G_MAX * 8);
    if (v == 0) store<f64>(g, load<f64>(g, G_ZEROS * 8) + 1, G_ZEROS * 8);
    if (kind == KIND_BOOL) {
      bump(stAt(col, BOOL), 1);
      if (v != 0) bump(stAt(col, BOOL_TRUE), 1);
      return;
    }
    if (kind == KIND_INT) {
      const r = pIntRange;
      if (Sequence.watched(col)) foldSequence(0, v, r);
      bump(stAt(col, r == 0 ? INT64 : r == 1 ? UINT_ONLY : BIGINT), 1);
      if (pNegative && r == 0) bump(stAt(col, NEG), 1);
      bump(stAt(col, PYINT), <f64>pPyIntSize);
      if (v == 0) bump(stAt(col, INT_ZERO), 1);
    } else if (kind == KIND_FLOAT) {
      bump(stAt(col, FLOAT), 1);
      if (load<f64>(g, G_INTEGRAL * 8) == 1 && !(isFinite<f64>(v) && Math.floor(v) == v))
        store<f64>(g, 0, G_INTEGRAL * 8);
    }
    // integers below 2^24 are exact in float32
    if (v != 0 && isFinite<f64>(v) && (kind != KIND_INT || v >= 16777216 || v <= -16777216)) {
      const f = <f64>(<f32>v);
      const a = Math.abs(v);
      const diff = Math.abs(f - v);
      // The largest relative error so far, diff / a, rounded (|f - v| / |v| is |(f - v) / v|: division
      // rounds magnitudes alike whatever the signs). The division, ~5% of a file of decimals, only where
      // the quotient may pass it: below a * maxErr * (1 - 2^-50), rounded twice, it cannot.
      const maxErr = load<f64>(g, G_F32_ERR * 8);
      if (diff > a * maxErr * ERR_MARGIN) {
        const err = diff / a;
        if (err > maxErr) store<f64>(g, err, G_F32_ERR * 8);
      }
      // Up to 6 significant digits always survive float32 in its normal range (FLT_DIG = 6). Whether a
      // value has more is as random as its magnitude (amounts of 3 to 8 digits): the fast check runs for
      // every value, and one branch, rarely taken, asks whether it was needed and failed or undecided.
      if (diff != 0 && load<f64>(g, G_F32_KEEPS * 8) == 1) {
        const need = (<i32>(pSig > 6)) | (<i32>(a < 1.2e-38)) | (<i32>(a > 3.4e38));
        // decided here for the fast paths' numbers; a JavaScript call (toPrecision) otherwise
        const fast = float32KeepsFast(f);
        if ((need & (<i32>(fast <= 0))) != 0 && (fast == 0 || float32Keeps(v, min(pSig, 100)) == 0))
          store<f64>(g, 0, G_F32_KEEPS * 8);
      }
    }
  }
}
