/**
 * Where a trial's stdout and stderr go: a log file of bounded size (the first half of the budget
 * as written, then only the most recent bytes, with a note of what was dropped), and a line
 * scanner that remembers the last JSON object printed with the metric in it. Memory stays bounded
 * whatever the trial prints (1 GB, one endless line, invalid UTF-8).
 */
import { closeSync, openSync, writeSync } from 'node:fs';

export class BoundedLog {
  private readonly fd: number;
  private written = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private dropped = 0;
  private closed = false;

  constructor(
    path: string,
    private readonly limitBytes: number,
  ) {
    this.fd = openSync(path, 'a');
  }

  write(chunk: Buffer): void {
    if (this.closed) return;
    const headRoom = Math.floor(this.limitBytes / 2) - this.written;
    if (headRoom > 0) {
      const head = chunk.subarray(0, headRoom);
      writeSync(this.fd, head);
      this.written += head.length;
      chunk = chunk.subarray(head.length);
    }
    if (chunk.length === 0) return;
    const tailLimit = this.limitBytes - Math.floor(this.limitBytes / 2);
    this.tail.push(Buffer.from(chunk));
    this.tailBytes += chunk.length;
    while (this.tailBytes > tailLimit && this.tail.length > 0) {
      const excess = this.tailBytes - tailLimit;
      const first = this.tail[0];
      if (first.length <= excess) {
        this.tail.shift();
        this.tailBytes -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.subarray(excess);
        this.tailBytes -= excess;
        this.dropped += excess;
      }
    }
  }

  note(text: string): void {
    this.write(Buffer.from(text.endsWith('\n') ? text : `${text}\n`));
  }

  /** Bytes left out of the file. */
  get droppedBytes(): number {
    return this.dropped;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.dropped > 0)
      writeSync(this.fd, `\n[headroom: ${this.dropped} bytes of output dropped here to keep this log bounded]\n`);
    for (const part of this.tail) writeSync(this.fd, part);
    this.tail = [];
    closeSync(this.fd);
  }
}

const MAX_LINE = 64 * 1024;

/** Finds the last line of stdout that is a JSON object containing `metric`. */
export class ResultScanner {
  private parts: Buffer[] = [];
  private length = 0;
  private overflow = false;
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });
  last: Record<string, number> | null = null;

  constructor(private readonly metric: string) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      const piece = chunk.subarray(start, nl < 0 ? chunk.length : nl);
      if (!this.overflow) {
        if (this.length + piece.length > MAX_LINE) {
          // A line this long is not a result line; skip the rest of it without holding it.
          this.overflow = true;
          this.parts = [];
          this.length = 0;
        } else if (piece.length > 0) {
          this.parts.push(Buffer.from(piece));
          this.length += piece.length;
        }
      }
      if (nl < 0) return;
      this.endLine();
      start = nl + 1;
    }
  }

  end(): void {
    this.endLine();
  }

  private endLine(): void {
    const overflow = this.overflow;
    const line = overflow ? '' : this.decoder.decode(Buffer.concat(this.parts)).trim();
    this.parts = [];
    this.length = 0;
    this.overflow = false;
    if (!line.startsWith('{') || !line.endsWith('}')) return;
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value) && this.metric in value) {
        this.last = numericMetrics(value as Record<string, unknown>);
      }
    } catch {
      // not JSON after all
    }
  }
}

/**
 * What the runtime says about metrics it could not pass on as numbers: {name: 'NaN' | 'inf' | '-inf'}
 * (JSON has no NaN). Lets a trial that returned NaN be told so, instead of "returned no metric".
 */
export function nonFiniteValue(message: Record<string, unknown>, metric: string): string | null {
  const value = (message.nonFinite as Record<string, unknown> | undefined)?.[metric];
  return typeof value === 'string' ? value : null;
}

/** Keeps the numeric entries (and numeric strings) of a metrics object. */
export function numericMetrics(value: Record<string, unknown>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(value)) {
    const n =
      typeof v === 'number'
        ? v
        : typeof v === 'boolean'
          ? Number(v)
          : typeof v === 'string' && v.trim() !== ''
            ? Number(v)
            : NaN;
    if (Number.isFinite(n)) out[k] = n;
  }
  return out;
}

/** Splits a byte stream into JSON messages, one per line (the engine pipe). */
export class JsonLines {
  private buffer = '';
  private readonly decoder = new TextDecoder('utf-8', { fatal: false });

  push(chunk: Buffer, onMessage: (message: Record<string, unknown>) => void): void {
    this.buffer += this.decoder.decode(chunk, { stream: true });
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl).trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (!line) continue;
      try {
        onMessage(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // A malformed line on the engine pipe can only come from user code writing to it; ignore.
      }
    }
  }
}

/**
 * Objective mode: the worker writes this marker to stdout and stderr after each trial (after
 * flushing), so the engine knows the trial's output is complete before it closes the trial's log:
 * the three pipes are read independently and the result message may arrive first.
 */
export const TRIAL_END_MARK = Buffer.from('\x1e\x1fheadroom-trial-end\x1f\x1e');

/** Splits a byte stream at TRIAL_END_MARK, also when a marker is cut across chunks. */
export class MarkSplitter {
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer, onBytes: (bytes: Buffer) => void, onMark: () => void): void {
    let buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    for (let i = buf.indexOf(TRIAL_END_MARK); i >= 0; i = buf.indexOf(TRIAL_END_MARK)) {
      if (i > 0) onBytes(buf.subarray(0, i));
      onMark();
      buf = buf.subarray(i + TRIAL_END_MARK.length);
    }
    let keep = Math.min(TRIAL_END_MARK.length - 1, buf.length);
    while (keep > 0 && !buf.subarray(buf.length - keep).equals(TRIAL_END_MARK.subarray(0, keep))) keep--;
    if (buf.length > keep) onBytes(buf.subarray(0, buf.length - keep));
    this.carry = Buffer.from(buf.subarray(buf.length - keep));
  }
}
