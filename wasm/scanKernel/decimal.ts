// Decimal to double, correctly rounded, for numbers beyond the exact fast path (16 to 19 significant
// digits, as pandas' to_csv writes floats, or exponents past 10^22): the Eisel-Lemire method (Lemire,
// "Number Parsing at a Gigabyte per Second", 2021) over a table of 128-bit powers of five. Without it
// every such field went to JavaScript (classifySlow: a string and Number() a value).
import { POW5, POW5_QMAX, POW5_QMIN } from './powersOfFive';

/** The high 64 bits of the last mulLow's product. */
let productHigh: u64 = 0;

/** The low 64 bits of a * b (the high 64 bits in productHigh). */
function mulLow(a: u64, b: u64): u64 {
  const aLo = a & 0xffffffff;
  const aHi = a >> 32;
  const bLo = b & 0xffffffff;
  const bHi = b >> 32;
  const p0 = aLo * bLo;
  const p1 = aLo * bHi;
  const p2 = aHi * bLo;
  const mid = (p0 >> 32) + (p1 & 0xffffffff) + (p2 & 0xffffffff);
  productHigh = aHi * bHi + (p1 >> 32) + (p2 >> 32) + (mid >> 32);
  return (p0 & 0xffffffff) | (mid << 32);
}

/**
 * w * 10^q rounded to the nearest double (ties to even), for w > 0; NaN where this leaves it to
 * JavaScript: q outside the table, or a result that is subnormal or infinite.
 */
export function decimalToDouble(w: u64, q: i32): f64 {
  if (q < POW5_QMIN || q > POW5_QMAX) return NaN;
  const lz = <i32>clz(w);
  w <<= <u64>lz;
  const at = (q - POW5_QMIN) << 1;
  let low = mulLow(w, unchecked(POW5[at]));
  let high = productHigh;
  // The first word of 5^q decides the 55 bits kept unless they end in all ones: then the second word's
  // share is added (enough in every case: Mushtak and Lemire, "Fast Number Parsing Without Fallback").
  if ((high & 0x1ff) == 0x1ff) {
    mulLow(w, unchecked(POW5[at + 1]));
    low += productHigh;
    if (productHigh > low) high++;
  }
  const upper = <i32>(high >> 63);
  const shift = <u64>(upper + 9);
  let mantissa = high >> shift;
  // the binary exponent: floor(q * log2(10)) + 63, plus the bits shifted, biased
  let power2 = ((217706 * q) >> 16) + 63 + upper - lz + 1023;
  if (power2 <= 0) return NaN;
  // exactly halfway between two doubles (possible only for small q): round to even
  if (low <= 1 && q >= -4 && q <= 23 && (mantissa & 3) == 1 && mantissa << shift == high) mantissa &= ~(<u64>1);
  mantissa += mantissa & 1;
  mantissa >>= 1;
  if (mantissa >= (<u64>2) << 52) {
    mantissa = (<u64>1) << 52;
    power2++;
  }
  if (power2 >= 0x7ff) return NaN;
  return reinterpret<f64>((mantissa & ~((<u64>1) << 52)) | ((<u64>power2) << 52));
}
