// Classification of a field's bytes: classifyValue of src/core/footprint/fieldClassify.ts for the
// common shapes (bools, numbers, and text decided at its first bytes), the rest sent to classifySlow
// (which runs classifyValue in JavaScript). The parsed state it fills lives in numbers.ts.
import { classifySlow } from './host';
import { KIND_BOOL, KIND_FLOAT, KIND_INT, KIND_STR } from './layout';
import { Digits, exponentValue } from './numbers';
import { fastPaths } from './state';

function lower(c: u32): u32 {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function isWord(s: usize, len: i32, word: string): bool {
  if (len != word.length) return false;
  for (let i = 0; i < len; i++) if (lower(load<u8>(s + <usize>i)) != <u32>word.charCodeAt(i)) return false;
  return true;
}

function isSpace(c: u32): bool {
  return c == 32 || c == 9 || c == 11 || c == 12;
}

/** 1 for the bytes that cannot start a number, bool or inf (pandas strips spaces first). */
function textStart(c: u32): bool {
  if ((c >= 48 && c <= 57) || isSpace(c)) return false;
  return !(c == 43 || c == 45 || c == 46 || c == 105 || c == 73 || c == 116 || c == 84 || c == 102 || c == 70);
}

/**
 * Whether the bytes [p, e) (not empty) after a number's digits make its field text, as classifyValue
 * decides: anything but an exponent or trailing spaces does (a date's '-', a time's ':', a '/', an
 * address's " Main St"). Decided here, each such field would be a call to classifySlow.
 */
function textFollows(p: usize, e: usize): bool {
  const c = <u32>load<u8>(p);
  if ((c | 32) == 101) return false;
  if (!isSpace(c)) return true;
  while (p < e && isSpace(load<u8>(p))) p++;
  return p < e;
}

/** The kind of the field [s, e) (KIND_*), its value in the parsed state, as classifyValue decides. */
export function classify(s: usize, e: usize): i32 {
  if (!fastPaths) return classifySlow(s, e);
  const c0 = <u32>load<u8>(s);
  if (textStart(c0)) return KIND_STR;
  const lc = c0 | 32;
  const len = <i32>(e - s);
  if (lc == 116 || lc == 102) {
    if (len == 4 && isWord(s, len, 'true')) {
      Digits.setBool(1);
      return KIND_BOOL;
    }
    if (len == 5 && isWord(s, len, 'false')) {
      Digits.setBool(0);
      return KIND_BOOL;
    }
    return KIND_STR;
  }
  // pandas strips spaces around a number (a CSV written with ", " between fields)
  let p = s;
  while (p < e && isSpace(load<u8>(p))) p++;
  // (spaces only: text, as classifyValue says)
  if (p == e) return KIND_STR;
  const c1 = <u32>load<u8>(p);
  const negative = c1 == 45;
  if (negative || c1 == 43) p++;
  const digitsStart = p;
  let m: u64 = 0;
  let d: u32;
  while (p < e && load<u8>(p) == 48) p++;
  let zeros = <i32>(p - digitsStart);
  while (p < e && (d = <u32>load<u8>(p) - 48) <= 9) {
    m = m * 10 + d;
    p++;
  }
  const intDigits = <i32>(p - digitsStart);
  let sig = intDigits - zeros;
  if (p == e) {
    if (intDigits == 0 || sig > 19) return classifySlow(s, e);
    if (sig > 15) Digits.setLongInt(m, negative, sig);
    else Digits.setInt(m, negative, sig);
    return KIND_INT;
  }
  let c = <u32>load<u8>(p);
  let fracDigits = 0;
  if (c == 46) {
    p++;
    const fracStart = p;
    while (p < e && (d = <u32>load<u8>(p) - 48) <= 9) {
      if (m == 0 && d == 0) zeros++;
      else sig++;
      m = m * 10 + d;
      p++;
    }
    fracDigits = <i32>(p - fracStart);
    if (intDigits + fracDigits == 0) return classifySlow(s, e);
    if (p < e && textFollows(p, e)) return KIND_STR;
    c = p < e ? <u32>load<u8>(p) : 0;
  } else if (intDigits > 0 && textFollows(p, e)) return KIND_STR;
  else if (intDigits == 0 && (c | 32) == 105) {
    // inf and infinity (with spaces after them) are floats; any other word starting with i is text
    return p + 3 <= e && (load<u8>(p, 1) | 32) == 110 && (load<u8>(p, 2) | 32) == 102 ? classifySlow(s, e) : KIND_STR;
  }
  let written = 0;
  const hasExponent = p < e;
  if (hasExponent) {
    if ((c | 32) != 101 || (intDigits == 0 && fracDigits == 0)) return classifySlow(s, e);
    const q = Digits.exponent(p + 1);
    if (q == 0 || q > e) return classifySlow(s, e);
    p = q;
    written = exponentValue;
  }
  if (p != e || !Digits.setFloat(m, negative, sig, intDigits, fracDigits, written, hasExponent))
    return classifySlow(s, e);
  return KIND_FLOAT;
}
