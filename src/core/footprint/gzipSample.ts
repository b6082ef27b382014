/**
 * Quick mode's sample of a gzip-compressed CSV. gzip cannot seek, so the whole stream is inflated
 * (inflating is several times cheaper than parsing), but only a head and evenly spaced pieces of it
 * are parsed: the sample covers the whole file, its tail included, and the decompressed size is
 * known exactly at the end. The spacing starts from the size the head's compression ratio predicts
 * and doubles (dropping every other piece) whenever the file turns out larger, so the pieces stay
 * evenly spread and their number bounded.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { splitRecords } from './csvHeader';
import { CsvScanner } from './csvScanner';
import { K } from './fieldStats';
import { gzipReadError } from './fileErrors';
import { addMicroBlock } from './microBlocks';
import type { SampleUnit } from './quickSample';
import { cancelledError } from './types';
import type { FootprintScanSettings } from './workerProtocol';

export interface GzipSampleOptions {
  path: string;
  fileBytes: number;
  dataStart: number;
  delimiter: number;
  ncols: number;
  headBytes: number;
  pieceBytes: number;
  pieces: number;
  settings: FootprintScanSettings;
  signal?: AbortSignal;
  /** The share of the compressed file read so far, in steps of 1% at least. */
  onProgress?: (fraction: number) => void;
}

export interface GzipSample {
  /** The head first, then the pieces in file order (offsets in the decompressed stream). */
  units: SampleUnit[];
  scanner: CsvScanner;
  distinct: (string[] | null)[];
  /** Bytes of the decompressed stream. */
  totalBytes: number;
  /** Whether every record was scanned (a small file: the head held it all). */
  complete: boolean;
  /** Set when a piece met a record longer than the bytes kept around it (see quickSample.ts). */
  longRecordBytes: number | null;
}

/** Bytes kept past a piece's end, for the record that crosses it and for finding the first record. */
const SLACK = 256 * 1024;

/** Index of the first line start in `buf` (after a LF, CR or CRLF), or -1. */
function lineStartIn(buf: Buffer, from: number): number {
  for (let i = from; i < buf.length; i++) {
    if (buf[i] === 10) return i + 1;
    if (buf[i] === 13) return buf[i + 1] === 10 ? i + 2 : i + 1;
  }
  return -1;
}

/** Index in `buf` of the first line start whose next records have `ncols` fields (else the first line start), or -1. */
function recordStartIn(buf: Buffer, delimiter: number, ncols: number, eof: boolean): number {
  let at = lineStartIn(buf, 0);
  if (at < 0) return -1;
  const first = at;
  for (let tries = 0; tries < 64 && at < buf.length; tries++) {
    let records: ReturnType<typeof splitRecords>;
    try {
      records = splitRecords(buf.subarray(at), delimiter, eof, 4);
    } catch {
      records = null;
    }
    if (records && records.length > 0 && records.every((r) => r.fields.length === ncols)) return at;
    const next = lineStartIn(buf, at);
    if (next < 0) break;
    at = next;
  }
  return first;
}

interface Pending {
  /** Decompressed offset of the piece's nominal start. */
  start: number;
  parts: Buffer[];
  have: number;
  index: number;
}

export async function sampleGzip(o: GzipSampleOptions): Promise<GzipSample> {
  const scanner = new CsvScanner(o.settings);
  const width = o.ncols * K;
  const units: (SampleUnit & { block: number; index: number })[] = [];
  let blocks = 0;
  let longRecordBytes: number | null = null;
  const headEnd = o.dataStart + o.headBytes;
  const firstFill = headEnd + o.pieces * o.pieceBytes;
  const buffered: Buffer[] = [];
  let pos = 0;
  let compressedRead = 0;
  let stride = 0;
  let nextIndex = 0;
  let pending: Pending | null = null;
  let complete = false;
  let reported = 0;

  /** Parses bytes [start, ...) of `buf` (absolute offset `base`), stopping before `stopAt`. */
  const scanPiece = (buf: Buffer, base: number, stopAt: number, first: boolean, eof: boolean, index = 0): boolean => {
    const at = first ? 0 : recordStartIn(buf, o.delimiter, o.ncols, eof);
    if (at < 0 || (!first && base + at >= stopAt)) {
      if (!eof) longRecordBytes = buf.length;
      return true;
    }
    const rowsBefore = scanner.rows;
    const consumed = scanner.feed(buf, at, buf.length, eof, base, stopAt);
    if (scanner.problem) return false;
    if (!scanner.stopped && !eof && consumed < buf.length) {
      longRecordBytes = base + buf.length - stopAt;
      return false;
    }
    const rows = scanner.rows - rowsBefore;
    scanner.cut();
    if (rows > 0) {
      units.push({
        start: base + at,
        end: base + consumed,
        rows,
        stats: new Float64Array(width),
        block: blocks,
        index,
      });
      blocks++;
    }
    return true;
  };

  const startOf = (index: number) => headEnd + index * stride;

  /** Keeps every other piece and doubles the spacing: the pieces stay evenly spread. */
  const thin = () => {
    const head = units[0];
    const kept = units.slice(1).filter((u) => u.index % 2 === 0);
    kept.forEach((u) => (u.index /= 2));
    units.length = 0;
    units.push(head, ...kept);
    stride *= 2;
    nextIndex = Math.ceil(nextIndex / 2);
  };

  /** Takes the decompressed bytes [from, from + chunk.length) past the head. */
  const take = (chunk: Buffer, from: number, eof: boolean): boolean => {
    let offset = 0;
    while (offset < chunk.length || (eof && pending)) {
      const abs = from + offset;
      if (!pending) {
        const s = startOf(nextIndex);
        if (s >= from + chunk.length) return true;
        const skip = Math.max(0, s - abs);
        offset += skip;
        pending = { start: s, parts: [], have: 0, index: nextIndex };
        nextIndex++;
        continue;
      }
      const want = o.pieceBytes + SLACK - pending.have;
      const part = chunk.subarray(offset, offset + want);
      pending.parts.push(part);
      pending.have += part.length;
      offset += part.length;
      if (pending.have >= o.pieceBytes + SLACK || (eof && offset >= chunk.length)) {
        const p: Pending = pending;
        pending = null;
        const ok = scanPiece(Buffer.concat(p.parts), p.start, p.start + o.pieceBytes, false, eof, p.index);
        if (!ok || longRecordBytes !== null) return false;
        if (units.length - 1 > 2 * o.pieces) thin();
        if (eof && offset >= chunk.length) return true;
      }
    }
    return true;
  };

  const file = createReadStream(o.path);
  file.on('data', (c) => (compressedRead += c.length));
  // large output chunks: inflating in 16 KiB chunks (the default) costs several times more
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  file.pipe(gunzip);
  let stopped = false;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      if (o.signal?.aborted) throw cancelledError();
      const share = Math.min(1, compressedRead / Math.max(1, o.fileBytes));
      if (o.onProgress && share - reported >= 0.01) o.onProgress((reported = share));
      const from = pos;
      pos += chunk.length;
      if (stride === 0) {
        buffered.push(chunk);
        if (pos < firstFill) continue;
        // the head: its own piece; then the spacing the head's compression ratio predicts
        const all = Buffer.concat(buffered);
        buffered.length = 0;
        if (!scanPiece(all.subarray(o.dataStart, headEnd + SLACK), o.dataStart, headEnd, true, false)) {
          stopped = true;
          break;
        }
        const predicted = (pos * o.fileBytes) / Math.max(1, compressedRead);
        stride = Math.max(o.pieceBytes * 2, Math.floor((predicted - headEnd) / o.pieces));
        if (!take(all.subarray(headEnd), headEnd, false)) {
          stopped = true;
          break;
        }
        continue;
      }
      if (!take(chunk, from, false)) {
        stopped = true;
        break;
      }
    }
    if (!stopped) {
      if (stride === 0) {
        // the whole file fit in the first fill: scan all of it
        complete = true;
        scanPiece(Buffer.concat(buffered).subarray(o.dataStart), o.dataStart, Infinity, true, true);
      } else take(Buffer.alloc(0), pos, true);
    }
  } catch (error) {
    throw gzipReadError(error);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  const { microStats, distinct } = scanner.finish();
  for (const u of units) addMicroBlock(microStats, u.block, u.stats);
  return {
    units: units.map(({ start, end, rows, stats }) => ({ start, end, rows, stats })),
    scanner,
    distinct,
    totalBytes: pos,
    complete,
    longRecordBytes,
  };
}
