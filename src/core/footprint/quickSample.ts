/**
 * Reads quick mode's sample pieces of a plain CSV with one scanner (its distinct sets and JIT state
 * carry over from piece to piece; each piece becomes one micro-block of statistics).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { FootprintScanSettings } from './workerProtocol';
import { CsvScanner } from './csvScanner';
import { guessRecordStart, MAX_RECORD_BYTES } from './rangeScan';
import { K } from './fieldStats';
import { addMicroBlock } from './microBlocks';

export interface SampleUnit {
  /** Byte offsets of the first record scanned and of the first one not scanned. */
  start: number;
  end: number;
  rows: number;
  /** ncols*K statistics of the unit. */
  stats: Float64Array;
}

export interface Sample {
  units: SampleUnit[];
  scanner: CsvScanner;
  distinct: (string[] | null)[];
  /**
   * Set when a piece met a record far longer than a piece: no line break inside a piece, or a record
   * running on past 4 pieces' length. Such records lie between the pieces too, where the sample
   * cannot see them, so the sample cannot bound the rows or the total (quick mode scans exactly then).
   */
  longRecordBytes: number | null;
}

/** Whether buf[0, n) of the file at `pos` holds a line break (read at most `len` bytes). */
function hasLineBreak(fd: number, pos: number, len: number, buf: Buffer): boolean {
  const n = readSync(fd, buf, 0, Math.min(len, buf.length), pos);
  return buf.subarray(0, n).includes(10);
}

/** Scans [start, end) of each piece; a piece that is not `first` begins at its first sound record. */
export function scanPieces(
  path: string,
  pieces: { start: number; end: number; first: boolean }[],
  settings: FootprintScanSettings,
): Sample {
  const scanner = new CsvScanner(settings);
  const width = settings.ncols * K;
  const fd = openSync(path, 'r');
  const units: SampleUnit[] = [];
  let longRecordBytes: number | null = null;
  try {
    const size = fstatSync(fd).size;
    let buf = Buffer.allocUnsafe(256 * 1024);
    for (const piece of pieces) {
      const pieceBytes = piece.end - piece.start;
      if (!piece.first && !hasLineBreak(fd, piece.start, pieceBytes, buf)) {
        longRecordBytes = pieceBytes;
        break;
      }
      const start = piece.first
        ? piece.start
        : guessRecordStart(fd, piece.start, size, settings.delimiter, settings.ncols);
      if (start >= piece.end) continue;
      const rowsBefore = scanner.rows;
      let have = 0;
      let base = start;
      let pos = start;
      for (;;) {
        const want = Math.min(buf.length - have, Math.max(64 * 1024, piece.end + 64 * 1024 - pos));
        const n = readSync(fd, buf, have, want, pos);
        pos += n;
        have += n;
        const eof = n === 0 || pos >= size;
        const consumed = scanner.feed(buf, 0, have, eof, base, piece.end);
        base += consumed;
        if (scanner.problem || scanner.stopped || eof) break;
        if (pos - piece.end > 4 * pieceBytes && consumed === 0) {
          longRecordBytes = pos - Math.max(start, base);
          break;
        }
        if (consumed === 0 && have === buf.length) {
          if (buf.length >= MAX_RECORD_BYTES) break;
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, have);
          buf = bigger;
        } else {
          buf.copy(buf, 0, consumed, have);
          have -= consumed;
        }
      }
      if (scanner.problem || longRecordBytes !== null) break;
      const rows = scanner.rows - rowsBefore;
      scanner.cut();
      if (rows > 0) units.push({ start, end: base, rows, stats: new Float64Array(width) });
    }
  } finally {
    closeSync(fd);
  }
  const { microStats, distinct } = scanner.finish();
  units.forEach((u, i) => addMicroBlock(microStats, i, u.stats));
  return { units, scanner, distinct, longRecordBytes };
}
