// Codes: a column's values of one spelling shape, marked in a bitmap by a key that stands for one
// spelling, so that the tokenizer's loop counts a value seen again from one bit instead of a look at the
// column's set. A set of thousands of values (codes, ratings, dates) has a table of 64 to 256 KB, and
// each look at it waited on memory: on `perf`, 17% of the loop's samples of the mixed benchmark file sat
// on that one load. Three shapes:
// - plain integers below SMALL_INTS: no sign, no leading zero ("007" and "7" are two values in a set);
// - ISO dates, YYYY-MM-DD, of DATE_YEARS years from a base year (a date column alone: 20% less time);
// - plain decimals of 1 to `places` digits after the point (ratings, fares, distances), keyed by their
//   digits and how many there are (the trip file's first 3M rows, three such columns, one worker: 10-15%
//   less CPU).
// A key is marked only for a value in the set with its notes, so the set's count of distinct values and
// what a repeat folds in are the same as through the set.
import { alloc } from './heap';
import { KIND_INT } from './layout';
import { POW10_INT, ZERO_DIGITS, eightDigits, lowBytes, notDigits, pMant, pPlainKind, stopTable } from './numbers';
import { entries, valueAt, valueLength } from './sets';
import { ncols, smallIntBitmaps, utf8 } from './state';

/** Integers' keys: 0 to SMALL_INTS - 1 (a 2 KB bitmap a column). */
const SMALL_INTS: u32 = 16384;
/** Dates' keys: 12 * 31 a year (a day 1 to 31 of each month), 88 years (a 4 KB bitmap a column). */
const DATE_YEARS: i32 = 88;
const DATE_KEYS: u32 = <u32>DATE_YEARS * 12 * 31;

/**
 * Decimals' keys: the digits as if written with `places` digits after the point (below DECIMAL_SPAN),
 * times 4, plus how many fewer were written ("5.6" and "5.60" are two values in a set): a 32 KB bitmap a
 * column.
 */
const DECIMAL_SPAN: u32 = 65536;
const DECIMAL_KEYS: u32 = DECIMAL_SPAN * 4;
const MAX_PLACES: i32 = 4;

/** A column's shape (shapeOf): 0 none, INTS, DATES | base year, or DECIMALS | places. */
const INTS: i32 = 1 << 16;
const DATES: i32 = 2 << 16;
const DECIMALS: i32 = 3 << 16;
const PARAM: i32 = 0xffff;

function keysOf(shape: i32): u32 {
  const kind = shape & ~PARAM;
  return kind == DATES ? DATE_KEYS : kind == DECIMALS ? DECIMAL_KEYS : SMALL_INTS;
}

/**
 * Entries from which a column that is not a wide file's integer column looks whether its values have
 * one of the shapes. A code the bitmap knows is folded in from its parsed value alone, which costs no
 * more than a look at a set of a few hundred values: the 1 GB benchmark's first 2M rows (101 scores,
 * 337 dates), one worker, median CPU 590 ms from 512 entries, 582 from 256, 568 from 96; slices of
 * the trip file (263 zones) and the mixed file the same within the noise. A handful of values (flags,
 * payment types) stay with their set, in cache, where a look costs less than parsing.
 */
const CODES_FROM_ENTRIES = 96;

/** Bitmaps all columns may hold together: a file of 100,000 integer columns must not take 200 MB. */
const BITMAP_ROOM: usize = 8 << 20;
let room: usize = 0;
/** Per column: its shape (i32), its bitmap's address (0 until the first key), whether it looked (u8). */
let shapes: usize = 0;
let bitmaps: usize = 0;
let looked: usize = 0;

export function codesUp(): void {
  shapes = alloc(<usize>ncols * 4);
  bitmaps = alloc(<usize>ncols * 8);
  looked = alloc(<usize>ncols);
  room = BITMAP_ROOM;
}

function shapeOf(col: i32): i32 {
  return load<i32>(shapes + ((<usize>col) << 2));
}

function isKnown(col: i32, key: u32): bool {
  const map = load<usize>(bitmaps + ((<usize>col) << 3));
  return map != 0 && ((<u32>load<u8>(map + <usize>(key >> 3))) & ((<u32>1) << (key & 7))) != 0;
}

/** Marks a key in column col's bitmap; false when it has none and there is no room for one. */
function mark(col: i32, key: u32): bool {
  const at = bitmaps + ((<usize>col) << 3);
  let map = load<usize>(at);
  if (map == 0) {
    const bytes = <usize>((keysOf(shapeOf(col)) + 7) >> 3);
    if (room < bytes) return false;
    room -= bytes;
    map = alloc(bytes);
    store<usize>(at, map);
  }
  const byte = map + <usize>(key >> 3);
  store<u8>(byte, (<u32>load<u8>(byte)) | ((<u32>1) << (key & 7)));
  return true;
}

/** The key of the integer [s, e), else -1. */
function intKey(s: usize, e: usize): i32 {
  const len = e - s;
  if (len == 0 || len > 5 || (load<u8>(s) == 48 && len > 1)) return -1;
  let v: u32 = 0;
  for (let p = s; p < e; p++) {
    const d = <u32>load<u8>(p) - 48;
    if (d > 9) return -1;
    v = v * 10 + d;
  }
  return v < SMALL_INTS ? <i32>v : -1;
}

/** The ISO date [s, s + 10) as (year * 12 + month - 1) * 31 + day - 1 (month 1 to 12, day 1 to 31), else -1. */
function dateIndex(s: usize): i32 {
  const x = load<u64>(s);
  // the dashes (bytes 4 and 7) made '0's: then each of the first eight bytes must be a digit
  if ((x & 0xff0000ff00000000) != 0x2d00002d00000000) return -1;
  const d = (x ^ 0x1d00001d00000000) - 0x3030303030303030;
  if (((d | (d + 0x7676767676767676)) & 0x8080808080808080) != 0) return -1;
  const year = <i32>((d & 0xff) * 1000 + ((d >> 8) & 0xff) * 100 + ((d >> 16) & 0xff) * 10 + ((d >> 24) & 0xff));
  const month = <i32>(((d >> 40) & 0xff) * 10 + ((d >> 48) & 0xff));
  const d8 = <u32>load<u8>(s, 8) - 48;
  const d9 = <u32>load<u8>(s, 9) - 48;
  const day = <i32>(d8 * 10 + d9);
  if (d8 > 9 || d9 > 9 || <u32>(month - 1) >= 12 || <u32>(day - 1) >= 31) return -1;
  return (year * 12 + month - 1) * 31 + day - 1;
}

/** The key of the ISO date [s, s + 10) among the DATE_YEARS years from `base`, else -1. */
function dateKey(s: usize, base: i32): i32 {
  const i = dateIndex(s);
  const k = i - base * 12 * 31;
  return i >= 0 && <u32>k < DATE_KEYS ? k : -1;
}

/**
 * Digits after the point of the plain decimal [s, e), 1 to MAX_PLACES, written as Codes.shortDecimal
 * reads it (a digit first, no leading zero but the one before the point), else -1; its digits in decimalDigits.
 */
function decimalPlaces(s: usize, e: usize): i32 {
  const len = <i32>(e - s);
  if (len < 3 || !Decimals.plainStart(s)) return -1;
  let v: u32 = 0;
  let point = -1;
  for (let i = 0; i < len; i++) {
    const b = <u32>load<u8>(s + <usize>i);
    if (b == 46 && point < 0 && i > 0) {
      point = i;
      continue;
    }
    if (b - 48 > 9 || v >= DECIMAL_SPAN) return -1;
    v = v * 10 + b - 48;
  }
  const places = len - 1 - point;
  if (point < 0 || places < 1 || places > MAX_PLACES) return -1;
  decimalDigits = v;
  return places;
}
let decimalDigits: u32 = 0;

/** Inlined where it is called. */
class Decimals {
  /** Whether the decimal at s starts as a code is written: no leading zero but the one before the point. */
  @inline static plainStart(s: usize): bool {
    return load<u8>(s) != 48 || load<u8>(s, 1) == 46;
  }
}

/** The key of a decimal's digits with `places` after the point (1 to the shape's), else -1. */
function decimalKey(digits: u32, places: i32, shapePlaces: i32): i32 {
  // (0 places would be a key of the digits plus one, with the shape's places: "0." for "0.0001")
  if (<u32>(places - 1) >= <u32>shapePlaces) return -1;
  const scaled = <u64>digits * unchecked(POW10_INT[shapePlaces - places]);
  return scaled < DECIMAL_SPAN ? <i32>((scaled << 2) | (<u64>(shapePlaces - places))) : -1;
}

function codeKey(shape: i32, s: usize, e: usize): i32 {
  if (shape == INTS) return intKey(s, e);
  if ((shape & ~PARAM) == DECIMALS) {
    const places = decimalPlaces(s, e);
    return places < 0 ? -1 : decimalKey(decimalDigits, places, shape & PARAM);
  }
  return e - s == 10 ? dateKey(s, shape & PARAM) : -1;
}

/**
 * Starts counting column col from a bitmap of `shape` when CODES_FROM_ENTRIES of its values are in its
 * set, three quarters of them of that shape (looked at once: those are marked). A wide file's integer
 * columns start at once, with nothing to mark.
 */
function started(col: i32, shape: i32): bool {
  const now = shapeOf(col);
  if (now != 0) return now == shape;
  const n = entries(col);
  if (!(smallIntBitmaps && shape == INTS)) {
    if (n < CODES_FROM_ENTRIES || load<u8>(looked + <usize>col) != 0) return false;
    store<u8>(looked + <usize>col, 1);
    let plain = 0;
    for (let i = 0; i < n; i++) if (entryKey(shape, col, i) >= 0) plain++;
    if (plain * 4 < n * 3) return false;
  }
  store<i32>(shapes + ((<usize>col) << 2), shape);
  for (let i = 0; i < n; i++) {
    const k = entryKey(shape, col, i);
    if (k >= 0 && !mark(col, <u32>k)) return false;
  }
  return true;
}

function entryKey(shape: i32, col: i32, entry: i32): i32 {
  const s = valueAt(col, entry);
  return codeKey(shape, s, s + <usize>valueLength(col, entry));
}

/** Whether column col counts its integers from a bitmap, starting it if it is time to. */
export function intsCoded(col: i32): bool {
  return started(col, INTS);
}

/** Whether column col counts its ISO dates from a bitmap (the text [s, e) is one), starting it if it is time to. */
export function datesCoded(col: i32, s: usize, e: usize): bool {
  if (!utf8 || e - s != 10) return false;
  const now = shapeOf(col);
  if (now != 0) return (now & ~PARAM) == DATES;
  // (the years around this value's)
  const i = dateIndex(s);
  return i >= 0 && started(col, DATES | max(0, i / (12 * 31) - DATE_YEARS / 2));
}

/**
 * Whether column col counts its plain decimals from a bitmap, starting it if it is time to: with as many
 * places as the most its values have (pandas writes 5.6 for 5.60).
 */
export function decimalsCoded(col: i32): bool {
  const now = shapeOf(col);
  if (now != 0) return (now & ~PARAM) == DECIMALS;
  if (entries(col) < CODES_FROM_ENTRIES || load<u8>(looked + <usize>col) != 0) return false;
  let places = 1;
  for (let i = 0; i < entries(col); i++) {
    const v = valueAt(col, i);
    places = max(places, decimalPlaces(v, v + <usize>valueLength(col, i)));
  }
  return started(col, DECIMALS | places);
}

/** Marks the new value [s, e) of column col (in its set with its notes); false when its bitmap has no room. */
export function markCode(col: i32, s: usize, e: usize): bool {
  const k = codeKey(shapeOf(col), s, e);
  return k < 0 || mark(col, <u32>k);
}

/** Whether the decimal the last Codes.shortDecimal read is zero. */
export let shortZero: bool = false;

/** Inlined where they are called: the tokenizer's loop. */
export class Codes {
  /**
   * The length of the plain decimal at p when it is a value column col's bitmap knows, else 0: read as
   * one word, with no parse of its value. Every decimal a bitmap can know fits: its digits are below
   * DECIMAL_SPAN (five at most), so with the point and its stop byte it takes 7 bytes at most (a longer
   * one, or one cut by `end`, is not a code).
   */
  @inline static shortDecimal(col: i32, p: usize, end: usize): i32 {
    const x = load<u64>(p);
    // 0x80 in each byte that is not a digit
    const notDigit = notDigits(x);
    const flags = (((notDigit & 0x7f7f7f7f7f7f7f7f) + 0x7f7f7f7f7f7f7f7f) | notDigit) & 0x8080808080808080;
    // the point, then the stop byte (8: none in the word)
    const point = <i32>(ctz(flags) >> 3);
    const stop = <i32>(ctz(flags & (flags - 1)) >> 3);
    if (stop >= 8 || point == 0 || ((x >> ((<u64>point) << 3)) & 0xff) != 46 || !Decimals.plainStart(p)) return 0;
    if (p + <usize>stop >= end || load<u8>(stopTable + load<u8>(p + <usize>stop)) == 0) return 0;
    // the digits without the point, moved to the top bytes (the bytes after them drop out)
    const low = lowBytes(point);
    const digits = <u32>eightDigits((((x & low) | ((x >> 8) & ~low)) - ZERO_DIGITS) << ((<u64>(9 - stop)) << 3));
    const k = decimalKey(digits, stop - point - 1, shapeOf(col) & PARAM);
    if (k < 0 || !isKnown(col, <u32>k)) return 0;
    shortZero = digits == 0;
    return stop;
  }

  /**
   * Whether [s, q), a number the loop parsed in a column of integer codes, is a value its bitmap knows:
   * from the parsed state, without reading its digits again (but the first, for a sign or a leading
   * zero).
   */
  @inline static intKnown(col: i32, s: usize, q: usize): bool {
    const first = <u32>load<u8>(s) - 48;
    if (pPlainKind != KIND_INT || !(pMant < <f64>SMALL_INTS) || first > 9 || (first == 0 && q - s != 1)) return false;
    return isKnown(col, <u32>pMant);
  }

  /** Whether the 10 bytes at s are an ISO date column col's bitmap knows. */
  @inline static dateKnown(col: i32, s: usize): bool {
    const k = dateKey(s, shapeOf(col) & PARAM);
    return k >= 0 && isKnown(col, <u32>k);
  }
}
