/**
 * Scans one byte range of a CSV/TSV file (or a whole gzip stream) with a CsvScanner, reading in
 * bounded buffers: memory stays at a few MiB whatever the file size. Runs in a piscina worker
 * (src/workers/footprint.ts) or in-thread for small files, rescans and quick mode.
 */
import { createReadStream, openSync, closeSync, readSync, fstatSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import type { FootprintWorkerResult, FootprintWorkerTask } from './workerProtocol';
import { CsvScanner } from './csvScanner';
import { splitRecords } from './csvHeader';

const BUFFER_BYTES = 1024 * 1024;
/**
 * The longest record the scan holds (its buffer doubles up to it, so memory follows the longest
 * record, not the file). pandas reads longer ones given the memory; Headroom says it stops here.
 */
export const MAX_RECORD_BYTES = 1024 * 1024 * 1024;
const LF = 10;
const CR = 13;

/** Offset of the first line start at or after `pos` (assuming it is not inside a quoted field). */
export function nextLineStart(fd: number, pos: number, size: number): number {
  if (pos <= 0) return 0;
  const buf = Buffer.allocUnsafe(64 * 1024);
  let at = pos - 1;
  while (at < size) {
    const n = readSync(fd, buf, 0, buf.length, at);
    if (n <= 0) break;
    for (let i = 0; i < n; i++) {
      const b = buf[i];
      if (b === LF) return at + i + 1;
      if (b === CR) {
        if (i + 1 < n) return at + i + (buf[i + 1] === LF ? 2 : 1);
        // CR at the end of the window: look at the next byte
        const one = Buffer.alloc(1);
        const m = readSync(fd, one, 0, 1, at + i + 1);
        return at + i + (m === 1 && one[0] === LF ? 2 : 1);
      }
    }
    at += n;
  }
  return size;
}

/**
 * A record start at or after `pos`: the first line start from which the next records parse with the
 * expected field count. A guess inside a quoted field (quoted newlines) fails that test and the next
 * line start is tried; the engine still validates the chain of ranges afterwards.
 */
export function guessRecordStart(fd: number, pos: number, size: number, delimiter: number, ncols: number): number {
  const first = nextLineStart(fd, pos, size);
  const window = Buffer.allocUnsafe(256 * 1024);
  const n = readSync(fd, window, 0, window.length, first);
  const bytes = window.subarray(0, n);
  let at = 0;
  for (let tries = 0; tries < 64 && at < n; tries++) {
    let records: ReturnType<typeof splitRecords>;
    try {
      records = splitRecords(bytes.subarray(at), delimiter, first + n >= size, 4);
    } catch {
      records = null;
    }
    if (records && records.length > 0 && records.every((r) => r.fields.length === ncols)) return first + at;
    const nl = bytes.indexOf(10, at);
    if (nl < 0) break;
    at = nl + 1;
  }
  return first;
}

/** Feeds chunks into the scanner through a work buffer, keeping the tail of an incomplete record. */
class Feeder {
  private work = Buffer.allocUnsafe(BUFFER_BYTES);
  private have = 0;
  /** Absolute offset of work[0]. */
  base: number;
  constructor(
    private readonly scanner: CsvScanner,
    start: number,
    private readonly stopAt: number,
  ) {
    this.base = start;
  }

  /** Returns false once the scan is over (stopped, or a problem). */
  push(chunk: Buffer, eof: boolean): boolean {
    let offset = 0;
    while (offset < chunk.length || eof) {
      const room = this.work.length - this.have;
      const take = Math.min(room, chunk.length - offset);
      chunk.copy(this.work, this.have, offset, offset + take);
      this.have += take;
      offset += take;
      const last = eof && offset >= chunk.length;
      if (this.have < this.work.length && !last) return true;
      const consumed = this.scanner.feed(this.work, 0, this.have, last, this.base, this.stopAt);
      if (this.scanner.problem || this.scanner.stopped) {
        this.base += consumed;
        return false;
      }
      if (last) {
        this.base += consumed;
        return false;
      }
      if (consumed === 0) {
        if (this.work.length >= MAX_RECORD_BYTES) {
          this.scanner.problem = { kind: 'record-too-long', offset: this.base };
          return false;
        }
        const bigger = Buffer.allocUnsafe(this.work.length * 2);
        this.work.copy(bigger, 0, 0, this.have);
        this.work = bigger;
      } else {
        this.work.copy(this.work, 0, consumed, this.have);
        this.have -= consumed;
        this.base += consumed;
      }
    }
    return true;
  }
}

function toResult(
  scanner: CsvScanner,
  task: FootprintWorkerTask,
  start: number,
  end: number,
  bytesRead: number,
): FootprintWorkerResult {
  const { microStats, distinct } = scanner.finish(task.distinctLists);
  return {
    type: 'range-result',
    start,
    end,
    rows: scanner.rows,
    microRowCounts: scanner.microRowCounts,
    microStarts: scanner.microStarts,
    microStats,
    globals: scanner.globals,
    distinct,
    problem: scanner.problem,
    bytesRead,
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function scanRange(task: FootprintWorkerTask, signal?: AbortSignal): Promise<FootprintWorkerResult> {
  return task.compression === 'gzip' ? scanGzip(task, signal) : scanPlain(task, signal);
}

async function scanPlain(task: FootprintWorkerTask, signal?: AbortSignal): Promise<FootprintWorkerResult> {
  const fd = openSync(task.path, 'r');
  try {
    const size = fstatSync(fd).size;
    const start = task.speculative
      ? guessRecordStart(fd, task.start, size, task.settings.delimiter, task.settings.ncols)
      : task.start;
    const scanner = new CsvScanner(task.settings);
    if (start >= task.end || start >= size) return toResult(scanner, task, start, start, 0);
    // Read straight into the kernel's input area; the tail of an incomplete record moves to its front.
    let room = Math.min(BUFFER_BYTES, Math.max(64 * 1024, task.end - start + 64 * 1024));
    let have = 0;
    let base = start;
    let pos = start;
    let bytesRead = 0;
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const n = readSync(fd, scanner.inputArea(room, have), have, room - have, pos);
      pos += n;
      have += n;
      bytesRead += n;
      const eof = n === 0 || pos >= size;
      const consumed = scanner.feedInput(have, eof, base, task.end);
      base += consumed;
      if (scanner.problem || scanner.stopped || eof) break;
      if (consumed === 0) {
        if (room >= MAX_RECORD_BYTES) {
          scanner.problem = { kind: 'record-too-long', offset: base };
          break;
        }
        room *= 2;
      } else {
        scanner.inputArea(room).copyWithin(0, consumed, have);
        have -= consumed;
      }
      await tick();
    }
    return toResult(scanner, task, start, Math.min(base, size), bytesRead);
  } finally {
    closeSync(fd);
  }
}

async function scanGzip(task: FootprintWorkerTask, signal?: AbortSignal): Promise<FootprintWorkerResult> {
  const scanner = new CsvScanner(task.settings);
  const feeder = new Feeder(scanner, task.start, task.end);
  // A bounded (quick) read measures the compression ratio from bytes consumed: read small pieces.
  const file = createReadStream(task.path, { highWaterMark: Number.isFinite(task.end) ? 16 * 1024 : 1024 * 1024 });
  const gunzip = createGunzip({ chunkSize: 256 * 1024 });
  file.pipe(gunzip);
  let skip = task.start;
  const skipped = task.start;
  let produced = 0;
  let done = false;
  try {
    for await (const piece of gunzip as AsyncIterable<Buffer>) {
      if (signal?.aborted) throw signal.reason;
      produced += piece.length;
      let chunk = piece;
      if (skip > 0) {
        if (chunk.length <= skip) {
          skip -= chunk.length;
          continue;
        }
        chunk = chunk.subarray(skip);
        skip = 0;
      }
      if (!feeder.push(chunk, false)) {
        done = true;
        break;
      }
    }
    if (!done) feeder.push(Buffer.alloc(0), true);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  // Compressed bytes behind the records scanned (zlib has consumed more than the scanner used).
  const used = produced > 0 ? Math.round((gunzip.bytesWritten * (feeder.base - task.start + skipped)) / produced) : 0;
  return toResult(scanner, task, task.start, feeder.base, used);
}
