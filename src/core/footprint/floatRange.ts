/**
 * Whether pandas < 3's float parser (precise_xstrtod of its C tokenizer, the default
 * float_precision) refuses a field as out of range. pandas 1.5 and 2.2 then keep the whole
 * low_memory block as text (object); pandas 3 reads inf instead. The parser keeps 17 digits (leading
 * zeros count), turns the rest into the exponent, refuses an exponent above 308 before multiplying
 * (so `0e400` is refused) and a product that became inf; its exponent is a C int that wraps
 * (`1e4294967297` reads as 10). Replayed here in the same double arithmetic, so that the boundary
 * (`1.7976931348623157e308` read, `...58e308` refused) is pandas' own.
 */

const MAX_DIGITS = 17;
const POW10: number[] = Array.from({ length: 309 }, (_, k) => Number(`1e${k}`));

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * buf[p, end): the field after its sign, without surrounding spaces, already known to be a decimal
 * number (digits, optional point and digits, optional exponent). True when pandas < 3 refuses it.
 */
export function refusedAsOutOfRange(buf: Uint8Array, p: number, end: number): boolean {
  let number = 0;
  let exponent = 0;
  let digits = 0;
  for (; p < end && isDigit(buf[p]); p++) {
    if (digits < MAX_DIGITS) {
      number = number * 10 + (buf[p] - 48);
      digits++;
    } else exponent++;
  }
  if (p < end && buf[p] === 46) {
    p++;
    let decimals = 0;
    for (; digits < MAX_DIGITS && p < end && isDigit(buf[p]); p++) {
      number = number * 10 + (buf[p] - 48);
      digits++;
      decimals++;
    }
    while (p < end && isDigit(buf[p])) p++;
    exponent -= decimals;
  }
  if (p < end) {
    // e or E, an optional sign, then at most 17 digits: more are trailing characters (refused too)
    p++;
    let negative = false;
    if (p < end && (buf[p] === 45 || buf[p] === 43)) negative = buf[p++] === 45;
    let n = 0;
    let expDigits = 0;
    for (; expDigits < MAX_DIGITS && p < end && isDigit(buf[p]); p++, expDigits++)
      n = (Math.imul(n, 10) + buf[p] - 48) | 0;
    if (p < end) return true;
    exponent = (negative ? exponent - n : exponent + n) | 0;
  }
  if (exponent > 308) return true;
  return exponent > 0 && number * POW10[exponent] === Infinity;
}

/**
 * Cheap bound: a field whose written exponent plus integer digits stays at 300 or below, whose
 * exponent has at most 17 digits and whose value stays below 1e307 cannot be refused (so the replay
 * above runs for a few fields only).
 */
export function mayBeOutOfRange(value: number, writtenExponent: number, intDigits: number, expDigits: number): boolean {
  return writtenExponent + intDigits > 300 || expDigits > MAX_DIGITS || !(Math.abs(value) < 1e307);
}
