// UTF-8 text measured in the kernel: measureText of src/core/footprint/textWidth.ts for UTF-8 files
// (a column of non-ASCII names or words asked JavaScript about every value). A field that does not
// decode is still measured by JavaScript, which reports where and why.

/** Code points of the last field measureUtf8 decoded, and the largest. */
export let codePoints: i32 = 0;
export let maxCodePoint: i32 = 0;

function continues(b: u32): bool {
  return (b & 0xc0) == 0x80;
}

/** Decodes [s, e) as UTF-8 (no overlongs, surrogates or code points past U+10FFFF); false when it cannot. */
export function measureUtf8(s: usize, e: usize): bool {
  let n = 0;
  let max: u32 = 0;
  let i = s;
  while (i < e) {
    const b = <u32>load<u8>(i);
    let cp: u32;
    if (b < 0x80) {
      cp = b;
      i++;
    } else if (b >= 0xc2 && b < 0xe0) {
      if (i + 1 >= e) return false;
      const b1 = <u32>load<u8>(i, 1);
      if (!continues(b1)) return false;
      cp = ((b & 0x1f) << 6) | (b1 & 0x3f);
      i += 2;
    } else if (b >= 0xe0 && b < 0xf0) {
      if (i + 2 >= e) return false;
      const b1 = <u32>load<u8>(i, 1);
      const b2 = <u32>load<u8>(i, 2);
      if (!continues(b1) || !continues(b2)) return false;
      if ((b == 0xe0 && b1 < 0xa0) || (b == 0xed && b1 >= 0xa0)) return false;
      cp = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
      i += 3;
    } else if (b >= 0xf0 && b < 0xf5) {
      if (i + 3 >= e) return false;
      const b1 = <u32>load<u8>(i, 1);
      const b2 = <u32>load<u8>(i, 2);
      const b3 = <u32>load<u8>(i, 3);
      if (!continues(b1) || !continues(b2) || !continues(b3)) return false;
      if ((b == 0xf0 && b1 < 0x90) || (b == 0xf4 && b1 >= 0x90)) return false;
      cp = ((b & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
      i += 4;
    } else return false;
    n++;
    if (cp > max) max = cp;
  }
  codePoints = n;
  maxCodePoint = <i32>max;
  return true;
}
