/**
 * Reads the header record and the first data record from the head of a CSV/TSV, the way pandas'
 * C parser would (quotes, blank lines skipped, BOM stripped), and names the columns as pandas does
 * (`Unnamed: i` for empty names, `a.1` for duplicates).
 */
import { MAX_RECORD_BYTES } from './rangeScan';
import { FootprintError } from './types';
import { ByteEncoding, decodeBytes, measureText, width } from './textWidth';

export interface HeaderInfo {
  names: string[];
  /** Byte offset (decompressed for gzip) of the first data record. */
  dataStart: number;
  /** Fields in the first data record; null when there is none. */
  firstRowFields: number | null;
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Splits up to two records from `buf`; null when the head is too short to hold them. */
export function splitRecords(buf: Buffer, delim: number, eof: boolean, want: number) {
  const records: { fields: Buffer[]; end: number }[] = [];
  let p = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  while (records.length < want && p < buf.length) {
    const c = buf[p];
    if (c === LF || c === CR) {
      p++;
      continue;
    }
    let q = p;
    while (q < buf.length && (buf[q] === 32 || buf[q] === 9) && buf[q] !== delim) q++;
    if (q === buf.length || buf[q] === LF || buf[q] === CR) {
      if (q === buf.length && !eof) return null;
      p = q;
      continue;
    }
    const fields: Buffer[] = [];
    for (;;) {
      let field: Buffer;
      if (buf[p] === QUOTE) {
        const parts: Buffer[] = [];
        let s = p + 1;
        for (;;) {
          const qi = buf.indexOf(QUOTE, s);
          if (qi < 0) {
            if (!eof) return null;
            throw new FootprintError(
              'ragged',
              'pandas would fail: EOF inside string starting at row 0 (the header).',
              'Close the quote in the header.',
            );
          }
          parts.push(buf.subarray(s, qi));
          if (buf[qi + 1] === QUOTE) {
            parts.push(Buffer.from('"'));
            s = qi + 2;
            continue;
          }
          p = qi + 1;
          break;
        }
        const t = p;
        while (p < buf.length && buf[p] !== delim && buf[p] !== LF && buf[p] !== CR) p++;
        parts.push(buf.subarray(t, p));
        field = Buffer.concat(parts);
      } else {
        const s = p;
        while (p < buf.length && buf[p] !== delim && buf[p] !== LF && buf[p] !== CR) p++;
        field = buf.subarray(s, p);
      }
      if (p >= buf.length && !eof) return null;
      fields.push(field);
      if (p < buf.length && buf[p] === delim) {
        p++;
        if (p === buf.length) {
          if (!eof) return null;
          fields.push(Buffer.alloc(0));
          break;
        }
        continue;
      }
      if (p < buf.length) p += buf[p] === CR && buf[p + 1] === LF ? 2 : 1;
      break;
    }
    records.push({ fields, end: p });
  }
  return records;
}

export function mangleNames(raw: string[]): string[] {
  const counts = new Map<string, number>();
  return raw.map((n, i) => {
    let col = n === '' ? `Unnamed: ${i}` : n;
    let cur = counts.get(col) ?? 0;
    while (cur > 0) {
      counts.set(col, cur + 1);
      col = `${col}.${cur}`;
      cur = counts.get(col) ?? 0;
    }
    counts.set(col, cur + 1);
    return col;
  });
}

/**
 * Parses the header from `head` (the first bytes of the decompressed file). `eof` says `head` is the
 * whole file. Returns null when more bytes are needed.
 */
export function parseHeader(head: Buffer, delim: number, encoding: ByteEncoding, eof: boolean): HeaderInfo | null {
  const records = splitRecords(head, delim, eof, 2);
  if (records === null) {
    if (head.length >= MAX_RECORD_BYTES) {
      // Which record is the long one: the header, or the first data row after a complete header.
      const which = head.includes(10) ? 'The first data row (line 2)' : 'The first line';
      throw new FootprintError(
        'unsupported',
        `${which} is longer than ${MAX_RECORD_BYTES >> 20} MiB: Headroom does not scan records that long.`,
        'If this is not meant to be one record, check the quotes and the separator.',
      );
    }
    return null;
  }
  if (records.length === 0) {
    throw new FootprintError(
      'empty',
      'The file is empty: pandas raises EmptyDataError "No columns to parse from file".',
      'Check that the file was fully written.',
    );
  }
  const names = records[0].fields.map((f) => {
    if (!measureText(f, 0, f.length, encoding)) {
      throw new FootprintError(
        'encoding',
        `The header is not valid ${encoding === 'utf8' ? 'UTF-8' : encoding}: byte 0x${f[width.badOffset].toString(16)} cannot be decoded (pandas raises UnicodeDecodeError).`,
        "Pass the file's encoding to read_csv, e.g. encoding='latin-1' or encoding='cp1252'.",
      );
    }
    // pandas ends a name at its first NUL byte (after decoding the whole header)
    const nul = f.indexOf(0);
    return decodeBytes(nul < 0 ? f : f.subarray(0, nul), encoding);
  });
  return {
    names: mangleNames(names),
    dataStart: records[0].end,
    firstRowFields: records.length > 1 ? records[1].fields.length : null,
  };
}
