/**
 * Append-only JSON-lines files (a run's trials.jsonl and timeline.jsonl): one write(2) per line, so a
 * crash leaves at most one partial last line, which readers skip and the next append steps over.
 */
import { appendFileSync, closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** Whether a file ends without a newline (a write cut short by a crash). */
function endsMidLine(path: string): boolean {
  const size = existsSync(path) ? statSync(path).size : 0;
  if (size === 0) return false;
  const fd = openSync(path, 'r');
  try {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 10;
  } finally {
    closeSync(fd);
  }
}

export class JsonLinesFile {
  /** Checked on the first append: the file may end mid-line after a crash of an earlier session. */
  private midLine: boolean | null = null;

  constructor(readonly path: string) {}

  append(value: unknown): void {
    this.midLine ??= endsMidLine(this.path);
    // after a crash mid-write the file may end without a newline: start this line on its own
    appendFileSync(this.path, (this.midLine ? '\n' : '') + JSON.stringify(value) + '\n');
    this.midLine = false;
  }
}

/** The values of a JSON-lines text, skipping blank lines and lines cut short by a crash. */
export function parseJsonLines(text: string): unknown[] {
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a line cut short by a crash
    }
  }
  return out;
}
