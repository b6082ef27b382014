/**
 * How CPython would store a decoded field: code points and the widest one, from raw bytes in the
 * file's encoding. Returns false on bytes the codec rejects (pandas raises UnicodeDecodeError).
 */
export type ByteEncoding = 'utf8' | 'latin1' | 'cp1252';

export const width = { codePoints: 0, maxCodePoint: 0, utf8Bytes: 0, badOffset: -1 };

// cp1252 bytes 0x80..0x9f (0 = undefined in Python's codec)
const CP1252 = [
  0x20ac, 0, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0, 0x17d, 0, 0, 0x2018,
  0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0, 0x17e, 0x178,
];

function utf8Len(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

export function measureText(buf: Uint8Array, s: number, e: number, encoding: ByteEncoding): boolean {
  let n = 0;
  let max = 0;
  if (encoding === 'utf8') {
    let i = s;
    while (i < e) {
      const b = buf[i];
      let cp: number;
      if (b < 0x80) {
        cp = b;
        i++;
      } else if (b >= 0xc2 && b < 0xe0) {
        const b1 = buf[i + 1];
        if (i + 1 >= e || (b1 & 0xc0) !== 0x80) return bad(i);
        cp = ((b & 0x1f) << 6) | (b1 & 0x3f);
        i += 2;
      } else if (b >= 0xe0 && b < 0xf0) {
        const b1 = buf[i + 1];
        const b2 = buf[i + 2];
        if (i + 2 >= e || (b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80) return bad(i);
        if ((b === 0xe0 && b1 < 0xa0) || (b === 0xed && b1 >= 0xa0)) return bad(i);
        cp = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
        i += 3;
      } else if (b >= 0xf0 && b < 0xf5) {
        const b1 = buf[i + 1];
        const b2 = buf[i + 2];
        const b3 = buf[i + 3];
        if (i + 3 >= e || (b1 & 0xc0) !== 0x80 || (b2 & 0xc0) !== 0x80 || (b3 & 0xc0) !== 0x80) return bad(i);
        if ((b === 0xf0 && b1 < 0x90) || (b === 0xf4 && b1 >= 0x90)) return bad(i);
        cp = ((b & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
        i += 4;
      } else return bad(i);
      n++;
      if (cp > max) max = cp;
    }
    width.utf8Bytes = e - s;
  } else {
    let bytes = 0;
    for (let i = s; i < e; i++) {
      let cp = buf[i];
      if (encoding === 'cp1252' && cp >= 0x80 && cp < 0xa0) {
        cp = CP1252[cp - 0x80];
        if (cp === 0) return bad(i);
      }
      n++;
      bytes += utf8Len(cp);
      if (cp > max) max = cp;
    }
    width.utf8Bytes = bytes;
  }
  width.codePoints = n;
  width.maxCodePoint = max;
  return true;
}

function bad(at: number): false {
  width.badOffset = at;
  return false;
}

export function decodeBytes(bytes: Buffer, encoding: ByteEncoding): string {
  if (encoding === 'utf8') return bytes.toString('utf8');
  const text = bytes.toString('latin1');
  if (encoding === 'latin1' || !/[\x80-\x9f]/.test(text)) return text;
  // cp1252 differs from latin-1 only at 0x80..0x9f. (Node 20's TextDecoder('windows-1252') decodes
  // latin-1: 0x80 stays U+0080, not the euro sign.) A byte Python's codec rejects never gets here.
  return text.replace(/[\x80-\x9f]/g, (c) => String.fromCharCode(CP1252[c.charCodeAt(0) - 0x80] || c.charCodeAt(0)));
}

/** Maps read_csv's `encoding=` to the codecs handled here; null for the others. */
export function byteEncodingOf(name: string | undefined): ByteEncoding | null {
  const n = (name ?? 'utf-8').toLowerCase().replace(/_/g, '-');
  if (['utf-8', 'utf8', 'utf-8-sig', 'u8', 'ascii', 'us-ascii'].includes(n)) return 'utf8';
  if (['latin-1', 'latin1', 'iso-8859-1', 'iso8859-1', 'l1', '8859'].includes(n)) return 'latin1';
  if (['cp1252', 'windows-1252', '1252'].includes(n)) return 'cp1252';
  return null;
}
