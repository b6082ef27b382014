// Records: the tokenizer's loop over the fed bytes (separators, quotes, line ends), a record cut by the
// end of the bytes resumed when fed again, and the micro-blocks of rows handed to JavaScript.
import { flushBlock } from './host';
import { K, NA, PROBLEM_EOF_IN_QUOTES, PROBLEM_NONE, PROBLEM_RAGGED } from './layout';
import { Codes, shortZero } from './codes';
import { Digits, pPlainKind, stopTable } from './numbers';
import { Fold, Repeats, Sequence, bump, closeBlock, cur, stAt } from './stats';
import { Known, emptyField, field, quotedField } from './fields';
import {
  CR,
  LF,
  PARSE_ALL,
  PARSE_DATE_CODES,
  PARSE_DECIMAL_CODES,
  PARSE_INT_CODES,
  QUOTE,
  SP,
  TAB,
  baseAdj,
  delim,
  delimVec,
  maxRows,
  microRows,
  ncols,
  parseInLoop,
  problem,
  setBaseAdj,
  setProblem,
} from './state';

let rows: f64 = 0;
let fill: i32 = 0;
let target: i32 = 1;
let curStart: f64 = 0;
let pendingAt: f64 = -1;
let pendingFields: i32 = 0;
let problemOffset: f64 = 0;
let problemSaw: i32 = 0;
let stopped: bool = false;

/** Starts afresh; firstRow < 0: unknown. */
export function recordsUp(blockRows: i32, firstRow: f64): void {
  target = firstRow < 0 ? blockRows : blockRows - <i32>(firstRow % <f64>blockRows);
  rows = 0;
  fill = 0;
  curStart = 0;
  pendingAt = -1;
  pendingFields = 0;
  problemOffset = 0;
  problemSaw = 0;
  stopped = false;
}

export function rowCount(): f64 {
  return rows;
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

/**
 * Remembers how many fields of the record at `at` are folded in, for when it is fed again whole. A
 * field that failed to decode is folded again then, so its problem waits for the record's end.
 */
function suspend(at: f64, skip: i32, nf: i32, bad: i32): void {
  pendingAt = at;
  pendingFields = bad >= 0 ? bad : max(skip, nf);
  setProblem(PROBLEM_NONE);
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
    setProblem(PROBLEM_RAGGED);
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
  setBaseAdj(base - <f64>start);
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
  badField = bad;
  const plain = quotedPlain(p, end, nf, nf >= skip && nf < ncols && bad < 0);
  if (plain != 0) return plain;
  const d = delim;
  let c: u32 = 0;
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
      setProblem(PROBLEM_EOF_IN_QUOTES);
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

/**
 * The common quoted field at p: closed before the end of the bytes and followed by a separator or line
 * end (no doubled quotes, no text after it). Its closing quote is found sixteen bytes at a time and,
 * when `fold`, its content folded as the same bytes unquoted would be (badField becomes the column when
 * it does not decode). Returns the address after the closing quote, or 0 when quotedAt must take it.
 */
function quotedPlain(p: usize, end: usize, col: i32, fold: bool): usize {
  const s0 = p + 1;
  let q = s0;
  let hi: i32 = 0;
  let close: usize = 0;
  for (;;) {
    const x = v128.load(q);
    const m = i8x16.bitmask(i8x16.eq(x, i8x16.splat(<i8>QUOTE)));
    if (m != 0) {
      const k = ctz(m);
      hi |= i8x16.bitmask(x) & ((1 << k) - 1);
      close = q + <usize>k;
      break;
    }
    hi |= i8x16.bitmask(x);
    q += 16;
    // (the bytes from `end` on are slack, whatever they hold)
    if (q >= end) return 0;
  }
  if (close + 1 >= end || load<u8>(stopTable + load<u8>(close + 1)) == 0) return 0;
  if (fold) {
    const len = <i32>(close - s0);
    if (len == 0) emptyField(col);
    else if (load<u8>(parseInLoop + <usize>col) == PARSE_ALL && plainNumberTo(s0, end, close))
      Fold.number(col, pPlainKind, len);
    else if (!Known.repeated(col, s0, len) && !field(col, s0, close, hi == 0 ? 0 : 0x80)) badField = col;
  }
  return close + 1;
}

/**
 * Whether the quoted field's content [s, close) is a plain number (its parsed state filled): the
 * closing quote ends it, a stop byte for plainNumber while it reads.
 */
function plainNumberTo(s: usize, end: usize, close: usize): bool {
  const was = load<u8>(stopTable + QUOTE);
  store<u8>(stopTable + QUOTE, 1);
  const q = Digits.plainNumber(s, end);
  store<u8>(stopTable + QUOTE, was);
  return q == close;
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
    // Fields from here on are folded in (up to ncols): `skip`, or none once one failed to decode (bad).
    let foldFrom = skip;
    let nf = 0;
    for (;;) {
      if (p < end && <u32>load<u8>(p) == QUOTE) {
        p = quotedAt(p, end, eof, rs, at, skip, nf, bad);
        if (p == 0) return leave;
        bad = badField;
        if (bad >= 0) foldFrom = i32.MAX_VALUE;
      } else {
        const s0 = p;
        let folded = false;
        // A high-cardinality column of numbers (PARSE_ALL): parse the field while tokenizing it, in one
        // pass over its bytes. (While distinct values are tracked, a value seen again needs no parsing at
        // all, but for integer codes, parsed to be counted from a bitmap when it has them, and decimal codes,
        // read as one word for the same.)
        const parse = <u32>load<u8>(parseInLoop + <usize>min(nf, ncols));
        const short = parse == PARSE_DECIMAL_CODES && nf >= foldFrom ? Codes.shortDecimal(nf, p, end) : 0;
        if (short != 0) {
          Fold.repeatDecimal(nf, short, shortZero);
          p += <usize>short;
          folded = true;
        } else if ((parse == PARSE_ALL || parse == PARSE_INT_CODES) && nf >= foldFrom) {
          const q = Digits.plainNumber(p, end);
          if (q != 0 && (parse == PARSE_ALL || Codes.intKnown(nf, p, q))) {
            if (parse == PARSE_ALL || Sequence.watched(nf)) Fold.number(nf, pPlainKind, <i32>(q - p));
            else Fold.repeatInt(nf, <i32>(q - p));
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
          if (nf >= foldFrom && nf < ncols) {
            // an empty field is NA (field() would say the same, NUL or not)
            if (p == s0) emptyField(nf);
            // (a date's first fold ended an index column's sequence check: Sequence.watched is false)
            else if (parse == PARSE_DATE_CODES && p - s0 == 10 && Codes.dateKnown(nf, s0)) Repeats.ascii(nf, 10);
            else if (!Known.repeated(nf, s0, <i32>(p - s0)) && !field(nf, s0, p, hi == 0 ? 0 : 0x80)) {
              bad = nf;
              foldFrom = i32.MAX_VALUE;
            }
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
          if (nf >= foldFrom && nf < ncols) field(nf, p, p, 0);
          nf++;
          break;
        }
        // A run of empty fields (a sparse column's commonest value), each NA, without the field loop's
        // checks. (`end` holds a \n: the run stops there, and the field loop takes the field at `end`.)
        while (<u32>load<u8>(p) == d) {
          if (nf >= foldFrom && nf < ncols) emptyField(nf);
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
