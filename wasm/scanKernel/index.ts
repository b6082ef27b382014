/**
 * The CSV scan kernel, in AssemblyScript (compiled to WebAssembly by scripts/build-kernel.mjs): the
 * tokenizer of src/core/footprint/csvScanner.ts and the commonest field shapes (NA spellings, values
 * seen before, plain integers and decimals, ASCII text) folded into the column statistics without
 * leaving WebAssembly. Rarer shapes (exponents, big integers, non-ASCII text, date shapes, float32
 * round trips) call back into the scanner's JavaScript (host.ts), which shares this module's memory.
 */
import { dateSignature, flushBlock, measureText } from './host';
import { alloc, resetHeap } from './heap';
import {
  ASCII_LEN,
  ASCII_N,
  G_DATE_SIG,
  G_SEQ_OK,
  K,
  KIND_FLOAT,
  KIND_INT,
  KIND_STR,
  LATIN1_N,
  NA,
  NA_LEN,
  PROBLEM_ENCODING,
  PROBLEM_EOF_IN_QUOTES,
  PROBLEM_NONE,
  PROBLEM_RAGGED,
  STR,
  UCS2_N,
  UCS4_N,
  UTF8,
} from './layout';
import { Digits, classify, numbersUp, pPlainKind } from './numbers';
import { infoOf, inserted, markNoted, overflowed, setAdd, setFind, setsUp } from './sets';
import {
  Fold,
  Repeats,
  bump,
  closeBlock,
  countRepeat,
  cur,
  foldNumber,
  glAt,
  glob,
  noteNumber,
  noteText,
  stAt,
  statsUp,
} from './stats';

export { alloc } from './heap';
export { setParsed } from './numbers';
// a set's state for the scanner's finish() (a bool comes out as 0 or 1)
export {
  entries as setEntries,
  giveUp,
  overflowed as setOverflowed,
  valueAt as setValueAt,
  valueLength as setValueLength,
} from './sets';

const LF: u32 = 10;
const CR: u32 = 13;
const SP: u32 = 32;
const TAB: u32 = 9;
const QUOTE: u32 = 34;

// ---- settings and state ----
let ncols: i32 = 0;
let delim: u32 = 44;
let delimVec: v128 = i8x16.splat(44);
let maxRows: f64 = -1;
let utf8: bool = true;
let plainNumbersArentNa: bool = true;
let microRows: i32 = 1;
let parseInLoop: usize = 0;
let scratch: usize = 0;
let scratchSize: usize = 0;
let rows: f64 = 0;
let fill: i32 = 0;
let target: i32 = 1;
let curStart: f64 = 0;
let pendingAt: f64 = -1;
let pendingFields: i32 = 0;
let problem: i32 = PROBLEM_NONE;
let problemOffset: f64 = 0;
let problemSaw: i32 = 0;
let stopped: bool = false;
/** Set once the fed bytes hold a NUL: pandas' C parser ends each field's value at its first NUL. */
let nulCut: bool = false;
/** Absolute file offset of memory address 0 during a feed. */
let baseAdj: f64 = 0;
// The last measureText.
let tCodePoints: i32 = 0;
let tMaxCodePoint: i32 = 0;
let tUtf8Bytes: i32 = 0;

export function setText(codePoints: i32, maxCodePoint: i32, utf8Bytes: i32): void {
  tCodePoints = codePoints;
  tMaxCodePoint = maxCodePoint;
  tUtf8Bytes = utf8Bytes;
}

/**
 * Starts a scan afresh (an instance serves one scan after another); returns the address of the current
 * micro-block's statistics (ncols * K doubles). firstRow < 0: unknown.
 */
export function setup(
  columns: i32,
  delimiter: i32,
  rowLimit: f64,
  isUtf8: i32,
  numbersArentNa: i32,
  blockRows: i32,
  firstRow: f64,
  distinctCap: i32,
  budgetLimit: i32,
  useFastPaths: i32,
): usize {
  resetHeap();
  ncols = columns;
  delim = <u32>delimiter;
  delimVec = i8x16.splat(<i8>delim);
  maxRows = rowLimit;
  utf8 = isUtf8 != 0;
  plainNumbersArentNa = numbersArentNa != 0 && useFastPaths != 0;
  microRows = blockRows;
  target = firstRow < 0 ? blockRows : blockRows - <i32>(firstRow % <f64>blockRows);
  rows = 0;
  fill = 0;
  curStart = 0;
  pendingAt = -1;
  pendingFields = 0;
  problem = PROBLEM_NONE;
  problemOffset = 0;
  problemSaw = 0;
  stopped = false;
  nulCut = false;
  baseAdj = 0;
  scratch = 0;
  scratchSize = 0;
  naFirst = alloc(256 * 4);
  naAt = 0;
  naRoom = 0;
  naCount = 0;
  naMax = 0;
  parseInLoop = alloc(<usize>columns);
  numbersUp(delim, useFastPaths != 0);
  statsUp(columns);
  setsUp(columns, distinctCap, budgetLimit);
  return cur;
}

export function globalsAt(): usize {
  return glob;
}
export function rowCount(): f64 {
  return rows;
}
export function problemKind(): i32 {
  return problem;
}
export function problemAt(): f64 {
  return problemOffset;
}
export function problemFields(): i32 {
  return problemSaw;
}
export function wasStopped(): i32 {
  return stopped ? 1 : 0;
}
export function setNulCut(): void {
  nulCut = true;
}

/** A scratch area of at least `size` bytes (quoted fields are rebuilt there). */
function scratchOf(size: usize): usize {
  if (size > scratchSize) {
    scratchSize = max<usize>(size, scratchSize * 2);
    scratch = alloc(scratchSize);
  }
  return scratch;
}

// ---- NA spellings ----
/** Bit (len) set in naFirst[b] when a spelling of that length (< 32) starts with byte b. */
let naFirst: usize = 0;
let naAt: usize = 0; // per spelling: address (u64) and length (u64)
let naRoom = 0;
let naCount = 0;
let naMax = 0;

export function addNaSpelling(at: usize, len: i32): void {
  if (len == 0) return;
  if (naCount == naRoom) {
    naRoom = max(16, naRoom * 2);
    const bigger = alloc(<usize>naRoom * 16);
    if (naCount > 0) memory.copy(bigger, naAt, <usize>naCount * 16);
    naAt = bigger;
  }
  store<u64>(naAt + <usize>naCount * 16, at);
  store<u64>(naAt + <usize>naCount * 16, len, 8);
  naCount++;
  const b = load<u8>(at);
  if (len < 32) store<u32>(naFirst + ((<usize>b) << 2), load<u32>(naFirst + ((<usize>b) << 2)) | ((<u32>1) << len));
  if (len > naMax) naMax = len;
}

function isNa(s: usize, len: i32): bool {
  if (len < 32 && (load<u32>(naFirst + ((<usize>load<u8>(s)) << 2)) & ((<u32>1) << len)) == 0) return false;
  for (let i = 0; i < naCount; i++) {
    const at = naAt + <usize>i * 16;
    if (<i32>load<u64>(at, 8) == len && memory.compare(s, <usize>load<u64>(at), len) == 0) return true;
  }
  return false;
}

// ---- fields ----
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
    problem = PROBLEM_ENCODING;
    return 0;
  }
  return z;
}

/**
 * Folds one field in. known: 0 ASCII, 0x80 not ASCII, -1 not looked at yet. Returns false when the
 * field does not decode (the problem is set).
 */
function field(col: i32, s: usize, e: usize, known: i32): bool {
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
    // A value seen before classifies the same: count it from what was noted then. (An index column's
    // sequence check needs every value in order; a value that failed to decode has nothing noted.)
    if (seen >= 0) {
      const info = infoOf(col, seen);
      if (load<i32>(info) != 0 && (col != 0 || load<f64>(glob, G_SEQ_OK * 8) == 0)) {
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
  const kind = hi < 0x80 ? classify(s, e) : KIND_STR;
  store<u8>(
    parseInLoop + <usize>col,
    (kind == KIND_INT || kind == KIND_FLOAT) && overflowed(col) && plainNumbersArentNa ? 1 : 0,
  );
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
      }
    } else {
      if (measureText(s, e) == 0) {
        problem = PROBLEM_ENCODING;
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
    const sig = load<f64>(glAt(col, G_DATE_SIG));
    if (sig != -1) {
      const d = dateSignature(s, e);
      store<f64>(glAt(col, G_DATE_SIG), d <= 0 || (sig != 0 && sig != d) ? -1 : d);
    }
    return true;
  }
  if (entry >= 0) {
    noteNumber(infoOf(col, entry), kind);
    markNoted();
  }
  foldNumber(col, kind, len);
  return true;
}

/** An empty unquoted field: NA, as field() folds it. */
function emptyField(col: i32): void {
  bump(stAt(col, NA), 1);
  store<f64>(glAt(col, G_SEQ_OK), 0);
}

/**
 * The commonest field of a low-cardinality column, counted without the general path: a value of 1 to
 * 16 bytes already in the column's set with its notes (so neither NA, which is never added, nor cut at
 * a NUL). False when field() must take it (it then looks the value up again).
 */
function repeated(col: i32, s: usize, len: i32): bool {
  if (len == 0 || len > 16 || nulCut) return false;
  const seen = setFind(col, s, len);
  // as in field(): an index column's sequence check needs every value in order
  if (seen < 0 || (col == 0 && load<f64>(glob, G_SEQ_OK * 8) != 0)) return false;
  Repeats.seen(col, seen, len);
  return true;
}

/** A quoted field: flag 1 plain, 2 with doubled quotes, 3 with text after the closing quote. */
function quotedField(col: i32, open: usize, close: usize, p: usize, flag: i32): bool {
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
  baseAdj = saved + <f64>s - <f64>out;
  const ok = field(col, out, out + n, -1);
  baseAdj = saved;
  return ok;
}

export function fieldBase(): f64 {
  return baseAdj;
}

// ---- records ----
/**
 * Remembers how many fields of the record at `at` are folded in, for when it is fed again whole. A
 * field that failed to decode is folded again then, so its problem waits for the record's end.
 */
function suspend(at: f64, skip: i32, nf: i32, bad: i32): void {
  pendingAt = at;
  pendingFields = bad >= 0 ? bad : max(skip, nf);
  problem = PROBLEM_NONE;
}

export function flushNow(): void {
  if (fill == 0) return;
  closeBlock(fill);
  flushBlock(fill, curStart);
  memory.fill(cur, 0, <usize>ncols * K * 8);
  fill = 0;
  target = microRows;
}

/** Ends the current micro-block early (quick mode: one micro-block per sampled piece). */
export function cut(): void {
  flushNow();
  pendingAt = -1;
  stopped = false;
}

function endRecord(nf: i32, at: f64, bad: i32): void {
  pendingAt = -1;
  if (nf > ncols) {
    problem = PROBLEM_RAGGED;
    problemOffset = at;
    problemSaw = nf;
    return;
  }
  if (bad >= 0) return;
  if (fill == 0) curStart = at;
  for (let i = nf; i < ncols; i++) bump(stAt(i, NA), 1);
  rows++;
  if (++fill == target) flushNow();
}

/**
 * Consumes whole records from [start, end) (one writable byte past `end`). Returns the address of the
 * first byte not consumed (an incomplete record's start, or the first record at/after stopAt).
 * @param base absolute file offset of address `start`
 */
export function feed(start: usize, end: usize, eof: i32, base: f64, stopAt: f64): usize {
  baseAdj = base - <f64>start;
  const saved = load<u8>(end);
  store<u8>(end, <u8>LF);
  const p = records(start, end, eof != 0, stopAt);
  store<u8>(end, saved);
  return p;
}

/** Where records() returns when quotedAt returns 0, and the record's first field that failed to decode. */
let leave: usize = 0;
let badField: i32 = -1;

/**
 * Tokenizes the quoted field at p (out of records(), whose loop stays small). Returns the address after
 * it, or 0 when records() must return `leave` (the record is cut by the end of the bytes, or the file
 * ends inside the quotes).
 */
function quotedAt(p: usize, end: usize, eof: bool, rs: usize, at: f64, skip: i32, nf: i32, bad: i32): usize {
  const d = delim;
  let c: u32 = 0;
  badField = bad;
  const open = p;
  let q = p + 1;
  let flag = 1;
  let close: usize = 0;
  while (close == 0) {
    while (q < end && <u32>load<u8>(q) != QUOTE) q++;
    if (q >= end) {
      if (!eof) {
        suspend(at, skip, nf, bad);
        leave = rs;
        return 0;
      }
      problem = PROBLEM_EOF_IN_QUOTES;
      problemOffset = baseAdj + <f64>open;
      leave = end;
      return 0;
    }
    if (q + 1 < end && <u32>load<u8>(q + 1) == QUOTE) {
      flag = 2;
      q += 2;
      continue;
    }
    if (q + 1 >= end && !eof) {
      suspend(at, skip, nf, bad);
      leave = rs;
      return 0;
    }
    close = q;
  }
  p = close + 1;
  if (p < end && (c = load<u8>(p)) != d && c != LF && c != CR) {
    while (p < end && (c = load<u8>(p)) != d && c != LF && c != CR) p++;
    if (p == end && !eof) {
      suspend(at, skip, nf, bad);
      leave = rs;
      return 0;
    }
    flag = 3;
  }
  if (nf >= skip && nf < ncols && bad < 0) {
    if (!quotedField(nf, open, close, p, flag)) badField = nf;
  }
  return p;
}

function records(start: usize, end: usize, eof: bool, stopAt: f64): usize {
  const d = delim;
  let p = start;
  while (p < end) {
    if (baseAdj + <f64>p >= stopAt || rows == maxRows) {
      stopped = true;
      return p;
    }
    const rs = p;
    let c = <u32>load<u8>(p);
    if (c == LF) {
      p++;
      continue;
    }
    if (c == CR) {
      if (p + 1 < end) p += load<u8>(p + 1) == LF ? 2 : 1;
      else if (eof) p++;
      else return rs;
      continue;
    }
    if ((c == SP || c == TAB) && c != d) {
      let q = p + 1;
      while (q < end && (load<u8>(q) == SP || load<u8>(q) == TAB) && <u32>load<u8>(q) != d) q++;
      if (q == end) return eof ? end : rs;
      if (load<u8>(q) == LF || load<u8>(q) == CR) {
        p = q;
        continue;
      }
    }
    // Fields are folded in as they are tokenized; a record cut by the end of the bytes is resumed when
    // fed again, skipping the fields already folded (the same bytes give the same fields).
    const at = baseAdj + <f64>rs;
    const skip = at == pendingAt ? pendingFields : 0;
    let bad = -1;
    let nf = 0;
    for (;;) {
      if (p < end && <u32>load<u8>(p) == QUOTE) {
        p = quotedAt(p, end, eof, rs, at, skip, nf, bad);
        if (p == 0) return leave;
        bad = badField;
      } else {
        const s0 = p;
        let folded = false;
        // A high-cardinality column of numbers: parse the field while tokenizing it, in one pass over
        // its bytes. (While distinct values are tracked, a value seen again needs no parsing at all.)
        if (nf < ncols && load<u8>(parseInLoop + <usize>nf) == 1 && nf >= skip && bad < 0) {
          const q = Digits.plainNumber(p, end);
          if (q != 0) {
            Fold.number(nf, pPlainKind, <i32>(q - p));
            p = q;
            folded = true;
          }
        }
        if (!folded) {
          // sixteen bytes at a time up to the first separator, \n or \r (a stop byte sits at `end`);
          // hi collects the bytes' high bits (non-ASCII)
          let hi: i32 = 0;
          for (;;) {
            const x = v128.load(p);
            const m = i8x16.bitmask(
              v128.or(v128.or(i8x16.eq(x, delimVec), i8x16.eq(x, i8x16.splat(10))), i8x16.eq(x, i8x16.splat(13))),
            );
            if (m != 0) {
              const k = ctz(m);
              hi |= i8x16.bitmask(x) & ((1 << k) - 1);
              p += <usize>k;
              break;
            }
            hi |= i8x16.bitmask(x);
            p += 16;
          }
          if (p == end && !eof) {
            suspend(at, skip, nf, bad);
            return rs;
          }
          if (nf >= skip && nf < ncols && bad < 0) {
            // an empty field is NA (field() would say the same, NUL or not)
            if (p == s0) emptyField(nf);
            else if (!repeated(nf, s0, <i32>(p - s0)) && !field(nf, s0, p, hi == 0 ? 0 : 0x80)) bad = nf;
          }
        }
      }
      nf++;
      if (p >= end) break;
      c = load<u8>(p);
      if (c == d) {
        p++;
        if (p == end) {
          if (!eof) {
            suspend(at, skip, nf, bad);
            return rs;
          }
          // a trailing separator at the end of the file: one more, empty field
          if (nf >= skip && nf < ncols && bad < 0) field(nf, p, p, 0);
          nf++;
          break;
        }
        // A run of empty fields (a sparse column's commonest value), each NA, without the field loop's
        // checks. (`end` holds a \n: the run stops there, and the field loop takes the field at `end`.)
        while (<u32>load<u8>(p) == d) {
          if (nf >= skip && nf < ncols && bad < 0) emptyField(nf);
          nf++;
          p++;
        }
        continue;
      }
      if (c == LF) p++;
      else if (p + 1 < end) p += load<u8>(p + 1) == LF ? 2 : 1;
      else if (eof) p++;
      else {
        suspend(at, skip, nf, bad);
        return rs;
      }
      break;
    }
    endRecord(nf, at, bad);
    if (problem != PROBLEM_NONE) return p;
  }
  return p;
}
