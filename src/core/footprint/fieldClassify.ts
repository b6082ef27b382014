/**
 * Classifies one CSV field (raw bytes) the way pandas' C parser infers it: integer, float, bool or
 * text. Works on bytes without building strings; results go to `parsed` to avoid allocating per field.
 * The scan kernel (wasm/scanKernel/classify.ts and numbers.ts) has fast paths for the commonest
 * shapes and calls this for the rest; test/unit/footprint/fastPaths.test.ts checks the two agree.
 */

export const KIND_NA = 0;
export const KIND_INT = 1;
export const KIND_FLOAT = 2;
export const KIND_BOOL = 3;
export const KIND_STR = 4;

import { mayBeOutOfRange, refusedAsOutOfRange } from './floatRange';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;
const UINT64_MAX = 18446744073709551615n;

/** Out-parameters of the last classify call. */
export const parsed = {
  value: 0,
  /** Integers: 0 within int64, 1 above int64 within uint64, 2 outside both. */
  intRange: 0,
  negative: false,
  /** sys.getsizeof of the integer on CPython >= 3.11. */
  pyIntSize: 28,
  /** Significant digits written (floats and ints). */
  sigDigits: 0,
};

/** pandas' default NA spellings; `None` joined in pandas 2.0. */
const NA_BASE = [
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'n/a',
  'nan',
  'null',
];

export function naSpellings(pandas2OrLater: boolean): string[] {
  return pandas2OrLater ? [...NA_BASE, 'None'] : [...NA_BASE];
}

const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12;
}

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c + 32 : c;
}

function matchWord(buf: Uint8Array, s: number, e: number, word: string): boolean {
  if (e - s !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (lower(buf[s + i]) !== word.charCodeAt(i)) return false;
  return true;
}

function bigIntSize(v: bigint): number {
  let m = v < 0n ? -v : v;
  let digits = 0;
  while (m > 0n) {
    m >>= 30n;
    digits++;
  }
  return 24 + 4 * Math.max(1, digits);
}

export function pyIntSizeOfNumber(v: number): number {
  const m = Math.abs(v);
  if (m < 1073741824) return 28;
  if (m < 1152921504606846976) return 32;
  return bigIntSize(BigInt(v));
}

/**
 * Numeric or bool classification of a non-NA field: KIND_INT, KIND_FLOAT, KIND_BOOL or KIND_STR.
 * Integers and floats may carry surrounding spaces (pandas strips them); bools may not.
 * @param outOfRangeIsText pandas < 3: a float its parser refuses as out of range is text.
 */
export function classifyValue(buf: Uint8Array, s: number, e: number, outOfRangeIsText = false): number {
  const len = e - s;
  const c0 = buf[s];
  if ((len === 4 || len === 5) && (c0 | 32) !== 105 && (c0 | 32) >= 102 && (c0 | 32) <= 116) {
    if (matchWord(buf, s, e, 'true')) {
      parsed.value = 1;
      return KIND_BOOL;
    }
    if (matchWord(buf, s, e, 'false')) {
      parsed.value = 0;
      return KIND_BOOL;
    }
  }
  let p = s;
  let end = e;
  while (p < end && isSpace(buf[p])) p++;
  while (end > p && isSpace(buf[end - 1])) end--;
  if (p === end) return KIND_STR;
  let negative = false;
  const signAt = p;
  if (buf[p] === 45 || buf[p] === 43) {
    negative = buf[p] === 45;
    p++;
  }
  const digitsStart = p;
  let mantissa = 0;
  let sig = 0;
  let c = 0;
  while (p < end && (c = buf[p]) >= 48 && c <= 57) {
    if (sig > 0 || c !== 48) {
      sig++;
      if (sig <= 17) mantissa = mantissa * 10 + (c - 48);
    }
    p++;
  }
  const intDigits = p - digitsStart;
  if (p === end) {
    if (intDigits === 0) return KIND_STR;
    parsed.negative = negative && mantissa !== 0;
    parsed.sigDigits = Math.max(sig, 1);
    if (sig <= 15) {
      const v = negative ? -mantissa : mantissa;
      parsed.value = v;
      parsed.intRange = 0;
      parsed.pyIntSize = pyIntSizeOfNumber(v);
      return KIND_INT;
    }
    const big = BigInt(Buffer.from(buf.buffer, buf.byteOffset + signAt, end - signAt).toString('latin1'));
    parsed.value = Number(big);
    parsed.intRange = big >= INT64_MIN && big <= INT64_MAX ? 0 : big >= 0n && big <= UINT64_MAX ? 1 : 2;
    parsed.pyIntSize = bigIntSize(big);
    parsed.negative = big < 0n;
    return KIND_INT;
  }
  if (intDigits === 0 && (c | 32) === 105) {
    // inf / infinity, any case, optional sign
    if (matchWord(buf, p, end, 'inf') || matchWord(buf, p, end, 'infinity')) {
      parsed.value = negative ? -Infinity : Infinity;
      parsed.sigDigits = 1;
      return KIND_FLOAT;
    }
    return KIND_STR;
  }
  let exp10 = 0;
  let fracDigits = 0;
  let written = 0;
  let expDigits = 0;
  if (c === 46) {
    p++;
    while (p < end && (c = buf[p]) >= 48 && c <= 57) {
      if (sig > 0 || c !== 48) {
        sig++;
        if (sig <= 17) {
          mantissa = mantissa * 10 + (c - 48);
          exp10--;
        }
      } else exp10--;
      fracDigits++;
      p++;
    }
    if (intDigits + fracDigits === 0) return KIND_STR;
    // leading zeros after the point were counted in exp10 without adding to the mantissa
  } else if (intDigits === 0) return KIND_STR;
  if (p < end) {
    if ((buf[p] | 32) !== 101) return KIND_STR;
    p++;
    let expNeg = false;
    if (p < end && (buf[p] === 45 || buf[p] === 43)) {
      expNeg = buf[p] === 45;
      p++;
    }
    const expStart = p;
    let exp = 0;
    while (p < end && (c = buf[p]) >= 48 && c <= 57) {
      if (exp < 100000) exp = exp * 10 + (c - 48);
      p++;
    }
    if (p === expStart || p !== end) return KIND_STR;
    written = expNeg ? -exp : exp;
    expDigits = p - expStart;
    exp10 += written;
  }
  parsed.sigDigits = Math.max(sig, 1);
  let v: number;
  if (sig <= 15 && exp10 >= -22 && exp10 <= 22) {
    v = exp10 < 0 ? mantissa / POW10[-exp10] : mantissa * POW10[exp10];
  } else {
    v = Number(Buffer.from(buf.buffer, buf.byteOffset + digitsStart, end - digitsStart).toString('latin1'));
  }
  if (
    outOfRangeIsText &&
    mayBeOutOfRange(v, written, intDigits, expDigits) &&
    refusedAsOutOfRange(buf, digitsStart, end)
  )
    return KIND_STR;
  parsed.value = negative ? -v : v;
  return KIND_FLOAT;
}
