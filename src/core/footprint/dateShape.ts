/**
 * Date-like strings: ISO-ish `YYYY-MM-DD` or `YYYY/MM/DD`, optionally followed by `T` or a space and
 * `HH:MM[:SS[.fraction]]` and a `Z` or `+HH:MM` offset. The signature is the shape (digits folded),
 * so a column is date-like only when every value has the same shape.
 * Returns a positive signature, or 0 when the text is not such a date.
 */
function digit(b: number): boolean {
  return b >= 48 && b <= 57;
}

function two(buf: Uint8Array, i: number): number {
  return (buf[i] - 48) * 10 + (buf[i + 1] - 48);
}

export function dateSignature(buf: Uint8Array, s: number, e: number): number {
  const len = e - s;
  if (len < 10 || len > 35) return 0;
  for (let i = 0; i < 4; i++) if (!digit(buf[s + i])) return 0;
  const sep = buf[s + 4];
  if ((sep !== 45 && sep !== 47) || buf[s + 7] !== sep) return 0;
  if (!digit(buf[s + 5]) || !digit(buf[s + 6]) || !digit(buf[s + 8]) || !digit(buf[s + 9])) return 0;
  const month = two(buf, s + 5);
  const day = two(buf, s + 8);
  if (month < 1 || month > 12 || day < 1 || day > 31) return 0;
  let h = 0x811c9dc5;
  for (let i = s; i < e; i++) {
    const b = buf[i];
    h = Math.imul(h ^ (digit(b) ? 100 : b), 16777619);
  }
  if (len > 10) {
    const t = buf[s + 10];
    if ((t !== 84 && t !== 32) || len < 16) return 0;
    if (!digit(buf[s + 11]) || !digit(buf[s + 12]) || buf[s + 13] !== 58 || !digit(buf[s + 14]) || !digit(buf[s + 15]))
      return 0;
    if (two(buf, s + 11) > 23 || two(buf, s + 14) > 59) return 0;
    for (let i = s + 16; i < e; i++) {
      const b = buf[i];
      if (!(digit(b) || b === 58 || b === 46 || b === 43 || b === 45 || b === 90)) return 0;
    }
  }
  return (h >>> 1) + 1;
}
