// Date-like text: dateSignature of src/core/footprint/dateShape.ts, without leaving WebAssembly (a
// column of timestamps asks it of every value: a call into JavaScript cost more than the rest of the
// field's work). The same shapes and the same signature as the JavaScript, which the tests compare.
import { alloc } from './heap';

/** Per column: the shape of the value its signature came from (32 bytes, digits as 100) and its length. */
const TEMPLATE: usize = 48;
let templates: usize = 0;

export function datesUp(columns: i32): void {
  templates = alloc(<usize>columns * TEMPLATE);
}

function isDigit(b: u32): bool {
  return b - 48 <= 9;
}

function two(at: usize): u32 {
  return (<u32>load<u8>(at) - 48) * 10 + (<u32>load<u8>(at, 1) - 48);
}

/** Sixteen bytes with each digit replaced by 100, as the signature folds them. */
function shapeOf(at: usize): v128 {
  const x = v128.load(at);
  return v128.bitselect(i8x16.splat(100), x, i8x16.le_u(i8x16.sub(x, i8x16.splat(48)), i8x16.splat(9)));
}

/** Whether the month and day (and hour and minute) of a date-shaped [s, s + len) are in range. */
function inRange(s: usize, len: i32): bool {
  const month = two(s + 5);
  const day = two(s + 8);
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  return len == 10 || (two(s + 11) <= 23 && two(s + 14) <= 59);
}

/** Whether [s, s + len) is a date of one of the shapes dateSignature knows (values in range). */
function isDate(s: usize, len: i32): bool {
  if (len < 10 || len > 35) return false;
  for (let i: usize = 0; i < 4; i++) if (!isDigit(load<u8>(s + i))) return false;
  const sep = <u32>load<u8>(s, 4);
  if ((sep != 45 && sep != 47) || <u32>load<u8>(s, 7) != sep) return false;
  if (!isDigit(load<u8>(s, 5)) || !isDigit(load<u8>(s, 6)) || !isDigit(load<u8>(s, 8)) || !isDigit(load<u8>(s, 9)))
    return false;
  if (len > 10) {
    const t = <u32>load<u8>(s, 10);
    if ((t != 84 && t != 32) || len < 16) return false;
    if (!isDigit(load<u8>(s, 11)) || !isDigit(load<u8>(s, 12)) || <u32>load<u8>(s, 13) != 58) return false;
    if (!isDigit(load<u8>(s, 14)) || !isDigit(load<u8>(s, 15))) return false;
    for (let p = s + 16; p < s + <usize>len; p++) {
      const b = <u32>load<u8>(p);
      if (!(isDigit(b) || b == 58 || b == 46 || b == 43 || b == 45 || b == 90)) return false;
    }
  }
  return inRange(s, len);
}

/**
 * Whether the field [s, e) has the shape of the value column col's date signature came from (the bytes
 * [s, s + 32) are readable). Such a field is text, as classifyValue decides: four digits, then a '-' or
 * a '/' (isDate).
 */
export function templateShaped(col: i32, s: usize, e: usize): bool {
  const len = <i32>(e - s);
  const t = templates + <usize>col * TEMPLATE;
  if (len > 32 || <i32>load<u8>(t, 32) != len) return false;
  // one bit a byte: equal to the template's, or past the value
  const equal =
    (<u32>i8x16.bitmask(i8x16.eq(shapeOf(s), v128.load(t)))) |
    ((<u32>i8x16.bitmask(i8x16.eq(shapeOf(s + 16), v128.load(t, 16)))) << 16);
  const past = len == 32 ? 0 : ~(((<u32>1) << (<u32>len)) - 1);
  return (equal | past) == 0xffffffff;
}

/**
 * dateShape of a field that templateShaped: the column's signature `sig` when its values are in range,
 * else 0 (the template's shape passed isDate: only the ranges are left to check).
 */
export function templateDate(s: usize, e: usize, sig: f64): f64 {
  return inRange(s, <i32>(e - s)) ? sig : 0;
}

/**
 * The signature of the field [s, e) of column col (0: not a date), given the column's signature so far
 * (`sig`, 0 before its first date), for a field that is not of the template's shape (field() compares
 * that first: templateShaped). The first date's shape is the template: a value of that shape has that
 * signature, compared as one shape, not checked byte by byte and hashed again (the hash is a chain of
 * one multiply a byte). The bytes [s, s + 32) are readable: the fed bytes and the scratch area have
 * slack after them.
 */
export function dateShape(col: i32, s: usize, e: usize, sig: f64): f64 {
  const len = <i32>(e - s);
  if (!isDate(s, len)) return 0;
  // FNV-1a over the bytes, digits as one symbol (Math.imul in the JavaScript: the same low 32 bits)
  let h: u32 = 0x811c9dc5;
  for (let p = s; p < e; p++) {
    const b = <u32>load<u8>(p);
    h = (h ^ (isDigit(b) ? 100 : b)) * 16777619;
  }
  if (sig == 0 && len <= 32) {
    const t = templates + <usize>col * TEMPLATE;
    v128.store(t, shapeOf(s));
    v128.store(t, shapeOf(s + 16), 16);
    store<u8>(t, <u8>len, 32);
  }
  return <f64>((h >>> 1) + 1);
}
