// Numbers in field bytes: the parsed state of the last field classified (by classify.ts, by the
// tokenizer's in-loop parser plainNumber here, or by classifySlow in JavaScript), digits read eight
// at a time, and the decimal's value (exact, or by decimal.ts).
import { KIND_FLOAT, KIND_INT } from './layout';
import { alloc } from './heap';
import { decimalToDouble } from './decimal';

// The last classification (here, or classifySlow through setParsed).
export let pValue: f64 = 0;
export let pIntRange: i32 = 0;
export let pNegative: bool = false;
export let pPyIntSize: i32 = 28;
export let pSig: i32 = 0;
export let pPlainKind: i32 = 0;
/**
 * A number the fast paths read: its digits as an integer (pMant) and how many follow the point
 * (pFrac), so the value as written is pMant / 10^pFrac exactly; pFrac is -1 after classifySlow.
 */
export let pMant: f64 = 0;
export let pFrac: i32 = -1;

export function setParsed(value: f64, intRange: i32, negative: i32, pyIntSize: i32, sig: i32): void {
  pValue = value;
  pIntRange = intRange;
  pNegative = negative != 0;
  pPyIntSize = pyIntSize;
  pSig = sig;
  pFrac = -1;
}

/** 1 for the bytes that end an unquoted field: the separator, \n and \r. */
export let stopTable: usize = 0;
export function numbersUp(delimiter: u32): void {
  stopTable = alloc(256);
  store<u8>(stopTable + delimiter, 1);
  store<u8>(stopTable + 10, 1);
  store<u8>(stopTable + 13, 1);
}

// ---- eight bytes at a time ----
export const ZERO_DIGITS: u64 = 0x3030303030303030;

/** x (first byte lowest) with a byte that is not 0 where x's is not a digit. */
export function notDigits(x: u64): u64 {
  return ((x & 0xf0f0f0f0f0f0f0f0) ^ ZERO_DIGITS) | (((x + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) ^ ZERO_DIGITS);
}

/** How many of the bytes of x (first byte lowest) are digits before the first that is not. */
function leadingDigits(x: u64): i32 {
  const notDigit = notDigits(x);
  return notDigit == 0 ? 8 : <i32>(ctz(notDigit) >> 3);
}

/** The value of eight digits, one per byte (0..9), the first in the lowest byte. */
export function eightDigits(d: u64): u64 {
  d = d * 10 + (d >> 8);
  return ((d & 0x000000ff000000ff) * 0x000f424000000064 + ((d >> 16) & 0x000000ff000000ff) * 0x0000271000000001) >> 32;
}

export const POW10_INT: StaticArray<u64> = [1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000];
/** Value of the digits read by the last digitRun. */
let runValue: u64 = 0;

export function lowBytes(n: i32): u64 {
  return n >= 8 ? <u64>-1 : ((<u64>1) << ((<u64>n) << 3)) - 1;
}

// ---- classification ----
const POW10: StaticArray<f64> = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
  1e21, 1e22,
];

/** The value of the exponent the last Digits.exponent read. */
export let exponentValue: i32 = 0;

/**
 * Whether float32 keeps the last fast-path number at the digits it is written with (float32Keeps of
 * src/core/footprint/float32.ts, without leaving WebAssembly): 1 yes, 0 no, -1 undecided here.
 * toPrecision(sig) of f gives back the written decimal D = pMant / 10^pFrac exactly when
 * |f - D| < 0.5 * 10^-pFrac, i.e. |f * 10^pFrac - pMant| < 0.5 (the last written digit is at 10^-pFrac;
 * with at most 15 significant digits, two such decimals never read as the same double, and the midpoint
 * itself cannot be a float32). f * 10^pFrac is rounded once (at most 2^-53 of it): within twice that of
 * 0.5 the JavaScript check decides.
 */
export function float32KeepsFast(f: f64): i32 {
  if (pFrac < 0 || pFrac > 22) return -1;
  const t = Math.abs(f) * unchecked(POW10[pFrac]);
  const d = Math.abs(t - pMant);
  const margin = t * 4.440892098500626e-16 + 1e-300;
  if (d < 0.5 - margin) return 1;
  if (d > 0.5 + margin) return 0;
  return -1;
}

/**
 * The number parser of the tokenizer's loop. Static methods, so that they can be marked @inline (the
 * formatter refuses decorators on functions): Binaryen does not inline functions holding loops.
 */
export class Digits {
  /** The parsed state of a bool (1 or 0). */
  @inline static setBool(value: f64): void {
    pValue = value;
  }

  /** The parsed state of a whole number m (sig significant digits), as both parsers leave it. */
  @inline static setInt(m: u64, negative: bool, sig: i32): void {
    pValue = negative ? -(<f64>m) : <f64>m;
    pNegative = negative && m != 0;
    pSig = sig > 1 ? sig : 1;
    pIntRange = 0;
    pPyIntSize = m < 1073741824 ? 28 : 32;
    pMant = <f64>m;
    pFrac = 0;
  }

  /**
   * The parsed state of a whole number of 16 to 19 significant digits (ids, nanosecond timestamps), as
   * classifyValue leaves it: int64, uint64 only, or beyond (object); the value rounded to a double.
   */
  @inline static setLongInt(m: u64, negative: bool, sig: i32): void {
    pValue = negative ? -(<f64>m) : <f64>m;
    pNegative = negative && m != 0;
    pSig = sig;
    const int64Max: u64 = 0x7fffffffffffffff;
    pIntRange = negative ? (m <= int64Max + 1 ? 0 : 2) : m <= int64Max ? 0 : 1;
    // sys.getsizeof: 24 bytes and 4 a 30-bit digit
    pPyIntSize = m < (<u64>1) << 60 ? 32 : 36;
    pMant = <f64>m;
    // (not exact in a double: the float32 question goes to JavaScript)
    pFrac = -1;
  }

  /**
   * Reads an exponent's sign and digits at p (after the 'e'): returns the address after them, or 0 when
   * there are no digits, or more than three (classifyValue then checks the range itself). Its value is
   * in exponentValue.
   */
  @inline static exponent(p: usize): usize {
    const negative = load<u8>(p) == 45;
    if (negative || load<u8>(p) == 43) p++;
    const start = p;
    let n = 0;
    let d: u32;
    // (at most four digits read: a quoted field's copy is followed by whatever the scratch area held)
    while (p - start < 4 && (d = <u32>load<u8>(p) - 48) <= 9) {
      n = n * 10 + <i32>d;
      p++;
    }
    if (p == start || p - start > 3) return 0;
    exponentValue = negative ? -n : n;
    return p;
  }

  /**
   * The parsed state of a decimal: m's digits (sig significant ones, at most 19) times 10^(written -
   * fracDigits), as classifyValue reads it. False where JavaScript decides instead (more digits, a
   * result out of the table's range, pandas' range checks of a long exponent).
   */
  @inline static setFloat(
    m: u64,
    negative: bool,
    sig: i32,
    intDigits: i32,
    fracDigits: i32,
    written: i32,
    hasExponent: bool,
  ): bool {
    // (hundreds of leading zeros: pandas < 3's float parser counts them, see floatRange.ts)
    if (sig > 19 || intDigits > 300 || intDigits + written > 300) return false;
    if (!hasExponent && sig <= 15 && fracDigits <= 22) {
      Digits.setDecimal(m, negative, sig, fracDigits);
      return true;
    }
    const q = written - fracDigits;
    let v: f64;
    // exact: both m and 10^|q| are doubles, one rounding
    if (sig <= 15 && q >= -22 && q <= 22) v = q < 0 ? <f64>m / unchecked(POW10[-q]) : <f64>m * unchecked(POW10[q]);
    else if (m == 0) v = 0;
    else {
      v = decimalToDouble(m, q);
      if (isNaN(v)) return false;
    }
    pValue = negative ? -v : v;
    pSig = sig > 1 ? sig : 1;
    // (not the decimal as written, or not exact in a double: the float32 question goes to JavaScript)
    pFrac = -1;
    pPlainKind = KIND_FLOAT;
    return true;
  }

  /**
   * The parsed state of a decimal as written, m / 10^fracDigits with m's sig <= 15 digits exact in a
   * double: one rounding, and the digits kept for float32KeepsFast.
   */
  @inline static setDecimal(m: u64, negative: bool, sig: i32, fracDigits: i32): void {
    const v = <f64>m / unchecked(POW10[fracDigits]);
    pValue = negative ? -v : v;
    pSig = sig > 1 ? sig : 1;
    pMant = <f64>m;
    pFrac = fracDigits;
    pPlainKind = KIND_FLOAT;
  }

  /** Reads the digits at p onto runValue (m * 10^n + digits); returns how many (a non-digit follows). */
  @inline static digitRun(p: usize, m: u64): i32 {
    let n = 0;
    for (;;) {
      const x = load<u64>(p + <usize>n);
      const k = leadingDigits(x);
      if (k == 0) break;
      // the digits moved to the top bytes, zeros below them: the bytes after them drop out
      m = m * unchecked(POW10_INT[k]) + eightDigits((x - ZERO_DIGITS) << (u64(8 - k) << 3));
      n += k;
      if (k < 8) break;
    }
    runValue = m;
    return n;
  }

  /**
   * plainNumber of src/core/footprint/fieldClassify.ts: a plain number at s ended by a stop byte before
   * `end`; returns that byte's address and fills the parsed state, or 0 for anything else.
   */
  @inline static plainNumber(s: usize, end: usize): usize {
    // A stop byte sits at `end`: the digit loops stop there without a bounds test.
    let p = s;
    const negative = load<u8>(p) == 45;
    if (negative) p++;
    const digitsStart = p;
    while (load<u8>(p) == 48) p++;
    const sigStart = p;
    p += <usize>Digits.digitRun(p, 0);
    let m = runValue;
    const intDigits = <i32>(p - digitsStart);
    let sig = <i32>(p - sigStart);
    if (p >= end) return 0;
    if (load<u8>(p) == 46) {
      p++;
      const fracStart = p;
      // zeros right after the point are not significant either when nothing came before them
      if (m == 0) while (load<u8>(p) == 48) p++;
      const fracSigStart = p;
      p += <usize>Digits.digitRun(p, m);
      m = runValue;
      sig += <i32>(p - fracSigStart);
      const fracDigits = <i32>(p - fracStart);
      // the common decimal (up to 15 digits, as written) here; an exponent or more digits in longNumber
      if (
        p < end &&
        load<u8>(stopTable + load<u8>(p)) != 0 &&
        sig <= 15 &&
        fracDigits <= 22 &&
        intDigits + fracDigits != 0 &&
        intDigits <= 300
      ) {
        Digits.setDecimal(m, negative, sig, fracDigits);
        return p;
      }
      return longNumber(p, end, m, negative, sig, intDigits, fracDigits, true);
    }
    if (load<u8>(stopTable + load<u8>(p)) != 0 && intDigits != 0 && sig <= 15) {
      Digits.setInt(m, negative, sig);
      pPlainKind = KIND_INT;
      return p;
    }
    return longNumber(p, end, m, negative, sig, intDigits, 0, false);
  }
}

/**
 * The rest of plainNumber, kept out of its inlined common path: a number at p that goes on with an
 * exponent, or has 16 to 19 significant digits. Returns the stop byte's address after it, or 0.
 */
function longNumber(
  p: usize,
  end: usize,
  m: u64,
  negative: bool,
  sig: i32,
  intDigits: i32,
  fracDigits: i32,
  isDecimal: bool,
): usize {
  let written = 0;
  const hasExponent = ((<u32>load<u8>(p)) | 32) == 101;
  if (hasExponent) {
    if (intDigits + fracDigits == 0) return 0;
    p = Digits.exponent(p + 1);
    if (p == 0) return 0;
    written = exponentValue;
  }
  if (p >= end || load<u8>(stopTable + load<u8>(p)) == 0) return 0;
  if (isDecimal || hasExponent)
    return intDigits + fracDigits != 0 && Digits.setFloat(m, negative, sig, intDigits, fracDigits, written, hasExponent)
      ? p
      : 0;
  if (intDigits == 0 || sig > 19) return 0;
  Digits.setLongInt(m, negative, sig);
  pPlainKind = KIND_INT;
  return p;
}
