/** Quoted CSV fields that cannot be used in place: their content, rebuilt into a scratch buffer. */
const QUOTE = 34;

/**
 * Copies the content of a quoted field into `out` (big enough for e - s bytes) and returns its length.
 * flag 2: buf[s, e) is the content between the quotes, with doubled quotes to undouble.
 * flag 3: buf[s, e) starts at the opening quote and goes on with text after the closing quote
 * (`"ab"c` is `abc` for pandas).
 */
export function unquoteInto(buf: Uint8Array, s: number, e: number, flag: number, out: Uint8Array): number {
  let n = 0;
  let i = s;
  if (flag === 3) {
    i++; // opening quote
    for (;;) {
      const b = buf[i];
      if (b === QUOTE) {
        if (buf[i + 1] === QUOTE) {
          out[n++] = QUOTE;
          i += 2;
          continue;
        }
        i++;
        break;
      }
      out[n++] = b;
      i++;
    }
    while (i < e) out[n++] = buf[i++];
    return n;
  }
  while (i < e) {
    const b = buf[i];
    out[n++] = b;
    i += b === QUOTE ? 2 : 1;
  }
  return n;
}
