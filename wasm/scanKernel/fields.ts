// Fields: each field's value folded into its column's statistics (NA, a value seen before, a number,
// text), and quoted fields unquoted into a scratch area first.
import { dateSignature, measureText } from './host';
import { alloc } from './heap';
import {
  ASCII_LEN,
  ASCII_N,
  G_DATE_SIG,
  G_SEQ_OK,
  KIND_FLOAT,
  KIND_INT,
  KIND_STR,
  LATIN1_N,
  NA,
  NA_LEN,
  PROBLEM_ENCODING,
  STR,
  UCS2_N,
  UCS4_N,
  UTF8,
} from './layout';
import { isNa, naMax } from './na';
import { dateShape, templateDate, templateShaped } from './dates';
import { pPlainKind } from './numbers';
import { codePoints, maxCodePoint, measureUtf8 } from './utf8';
import { classify } from './classify';
import { datesCoded, decimalsCoded, intsCoded, markCode } from './codes';
import { infoOf, inserted, markNoted, overflowed, setAdd, SetLookup } from './sets';
import { Repeats, Sequence, bump, countRepeat, foldNumber, glAt, noteNumber, noteText, stAt } from './stats';
import {
  QUOTE,
  baseAdj,
  fastPaths,
  nulCut,
  PARSE_ALL,
  PARSE_DATE_CODES,
  PARSE_DECIMAL_CODES,
  PARSE_INT_CODES,
  parseInLoop,
  plainNumbersArentNa,
  setBaseAdj,
  setProblem,
  utf8,
} from './state';

let scratch: usize = 0;
let scratchSize: usize = 0;
// The last measureText.
let tCodePoints: i32 = 0;
let tMaxCodePoint: i32 = 0;
let tUtf8Bytes: i32 = 0;

export function fieldsUp(): void {
  scratch = 0;
  scratchSize = 0;
}

export function setText(codePoints: i32, maxCodePoint: i32, utf8Bytes: i32): void {
  tCodePoints = codePoints;
  tMaxCodePoint = maxCodePoint;
  tUtf8Bytes = utf8Bytes;
}

/** Measures text that is not ASCII UTF-8 into tCodePoints, tMaxCodePoint and tUtf8Bytes; false when it does not decode. */
function measured(s: usize, e: usize): bool {
  if (utf8 && fastPaths && measureUtf8(s, e)) {
    tCodePoints = codePoints;
    tMaxCodePoint = maxCodePoint;
    tUtf8Bytes = <i32>(e - s);
    return true;
  }
  // other encodings, and a field that does not decode (JavaScript reports where)
  return measureText(s, e) != 0;
}

/** A scratch area of at least `size` bytes (quoted fields are rebuilt there). */
function scratchOf(size: usize): usize {
  if (size > scratchSize) {
    scratchSize = max<usize>(size, scratchSize * 2);
    // (32 bytes of slack: dateShape reads 32 bytes from a field's start)
    scratch = alloc(scratchSize + 32);
  }
  return scratch;
}

/**
 * Where pandas ends the value of field [s, e): its first NUL byte, or e. The bytes after the NUL are
 * still decoded (pandas decodes the whole stream): 0 when they do not (the problem is set).
 */
function nulEnd(s: usize, e: usize): usize {
  let z = s;
  while (z < e && load<u8>(z) != 0) z++;
  if (z == e) return e;
  let hi: u32 = 0;
  for (let p = z; p < e; p++) hi |= load<u8>(p);
  if ((hi >= 0x80 || !utf8) && measureText(z, e) == 0) {
    setProblem(PROBLEM_ENCODING);
    return 0;
  }
  return z;
}

/**
 * Folds one field in. known: 0 ASCII, 0x80 not ASCII, -1 not looked at yet. Returns false when the
 * field does not decode (the problem is set).
 */
export function field(col: i32, s: usize, e: usize, known: i32): bool {
  if (nulCut) {
    const z = nulEnd(s, e);
    if (z == 0) return false;
    if (z != e) {
      e = z;
      known = -1;
    }
  }
  const len = <i32>(e - s);
  if (len == 0 || (len <= naMax && isNa(s, len))) {
    bump(stAt(col, NA), 1);
    bump(stAt(col, NA_LEN), <f64>len);
    store<f64>(glAt(col, G_SEQ_OK), 0);
    return true;
  }
  let entry = -1;
  if (!overflowed(col)) {
    const seen = setAdd(col, s, len);
    // A value seen before classifies the same: count it from what was noted then (a value that failed
    // to decode has nothing noted).
    if (seen >= 0) {
      const info = infoOf(col, seen);
      if (load<i32>(info) != 0 && !Sequence.watched(col)) {
        countRepeat(col, seen);
        return true;
      }
    }
    entry = inserted;
  }
  let hi = known;
  if (hi < 0) {
    hi = 0;
    for (let p = s; p < e; p++) hi |= load<u8>(p);
  }
  // A value of the shape the column's date signature came from (timestamps, a new one each row) is text
  // without asking classify, and has that signature if its values are in range (dateShape takes others).
  const sig = load<f64>(glAt(col, G_DATE_SIG));
  const dateShaped = hi < 0x80 && fastPaths && sig > 0 && templateShaped(col, s, e);
  const kind = dateShaped ? KIND_STR : hi < 0x80 ? classify(s, e) : KIND_STR;
  const numeric = (kind == KIND_INT || kind == KIND_FLOAT) && plainNumbersArentNa;
  const parse = numeric
    ? overflowed(col)
      ? PARSE_ALL
      : kind == KIND_INT && intsCoded(col)
        ? PARSE_INT_CODES
        : kind == KIND_FLOAT && decimalsCoded(col)
          ? PARSE_DECIMAL_CODES
          : 0
    : kind == KIND_STR && hi < 0x80 && fastPaths && datesCoded(col, s, e)
      ? PARSE_DATE_CODES
      : 0;
  store<u8>(parseInLoop + <usize>col, parse);
  if (kind == KIND_STR) {
    bump(stAt(col, STR), 1);
    store<f64>(glAt(col, G_SEQ_OK), 0);
    if (hi < 0x80 && utf8) {
      bump(stAt(col, ASCII_N), 1);
      bump(stAt(col, ASCII_LEN), <f64>len);
      bump(stAt(col, UTF8), <f64>len);
      if (entry >= 0) {
        noteText(infoOf(col, entry), ASCII_N, len, len);
        markNoted();
        // (a bitmap without room leaves the column to its set)
        if (parse == PARSE_DATE_CODES && !markCode(col, s, e)) store<u8>(parseInLoop + <usize>col, 0);
      }
    } else {
      if (!measured(s, e)) {
        setProblem(PROBLEM_ENCODING);
        return false;
      }
      const m = tMaxCodePoint;
      const w = m < 128 ? ASCII_N : m < 256 ? LATIN1_N : m < 65536 ? UCS2_N : UCS4_N;
      bump(stAt(col, w), 1);
      bump(stAt(col, w + 1), <f64>tCodePoints);
      bump(stAt(col, UTF8), <f64>tUtf8Bytes);
      if (entry >= 0) {
        noteText(infoOf(col, entry), w, tCodePoints, tUtf8Bytes);
        markNoted();
      }
    }
    if (sig != -1) {
      const d = dateShaped ? templateDate(s, e, sig) : fastPaths ? dateShape(col, s, e, sig) : dateSignature(s, e);
      store<f64>(glAt(col, G_DATE_SIG), d <= 0 || (sig != 0 && sig != d) ? -1 : d);
    }
    return true;
  }
  if (entry >= 0) {
    noteNumber(infoOf(col, entry), kind);
    markNoted();
    if ((parse == PARSE_INT_CODES || parse == PARSE_DECIMAL_CODES) && !markCode(col, s, e))
      store<u8>(parseInLoop + <usize>col, 0);
  }
  foldNumber(col, kind, len);
  return true;
}

/** An empty unquoted field: NA, as field() folds it. */
export function emptyField(col: i32): void {
  bump(stAt(col, NA), 1);
  store<f64>(glAt(col, G_SEQ_OK), 0);
}

/**
 * The commonest field of a low-cardinality column, counted without the general path: a value of 1 to
 * 16 bytes already in the column's set with its notes (so neither NA, which is never added, nor cut at
 * a NUL). False when field() must take it (it then looks the value up again).
 */
export class Known {
  /** Inlined where it is called: the tokenizer's loop, and its quoted fields. */
  @inline static repeated(col: i32, s: usize, len: i32): bool {
    if (len == 0 || len > 16 || nulCut) return false;
    const seen = SetLookup.find(col, s, len);
    if (seen < 0 || Sequence.watched(col)) return false;
    Repeats.seen(col, seen, len);
    return true;
  }
}

/** A quoted field: flag 1 plain, 2 with doubled quotes, 3 with text after the closing quote. */
export function quotedField(col: i32, open: usize, close: usize, p: usize, flag: i32): bool {
  if (flag == 1) return field(col, open + 1, close, -1);
  const s = flag == 3 ? open : open + 1;
  const e = flag == 3 ? p : close;
  const out = scratchOf(e - s);
  let n: usize = 0;
  let i = s;
  if (flag == 3) {
    i++; // opening quote
    for (;;) {
      const b = load<u8>(i);
      if (b == QUOTE) {
        if (load<u8>(i + 1) == QUOTE) {
          store<u8>(out + n++, QUOTE);
          i += 2;
          continue;
        }
        i++;
        break;
      }
      store<u8>(out + n++, b);
      i++;
    }
    while (i < e) store<u8>(out + n++, load<u8>(i++));
  } else {
    while (i < e) {
      const b = load<u8>(i);
      store<u8>(out + n++, b);
      i += b == QUOTE ? 2 : 1;
    }
  }
  // decode problems are reported at the field's place in the file, not in the scratch area
  const saved = baseAdj;
  setBaseAdj(saved + <f64>s - <f64>out);
  const ok = field(col, out, out + n, -1);
  setBaseAdj(saved);
  return ok;
}
