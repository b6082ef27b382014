/**
 * Tokenizes CSV bytes like pandas' C tokenizer (quotes, doubled quotes, \n, \r\n, \r, blank and
 * whitespace-only lines skipped) and folds every field into per-column statistics without building
 * strings. The hot loop is the WebAssembly kernel (wasm/scanKernel/); this class feeds it, answers its
 * calls for the rarer field shapes and collects the results. Records are dispatched only once
 * complete: a caller can feed buffers that end mid-record and pass the unconsumed tail again with more
 * bytes.
 */
import { K, GK } from './fieldStats';
import { MicroBlockLog, type MicroStats } from './microBlocks';
import { classifyValue, parsed } from './fieldClassify';
import { decodeBytes, measureText, width } from './textWidth';
import { dateSignature } from './dateShape';
import { float32Keeps } from './float32';
import {
  PROBLEM_ENCODING,
  PROBLEM_EOF_IN_QUOTES,
  PROBLEM_RAGGED,
  acquireKernel,
  releaseKernel,
  type PooledKernel,
  type ScanKernel,
  type ScanKernelCallbacks,
} from './scanKernel';
import type { FootprintScanProblem, FootprintScanSettings, KnownDistinct } from './workerProtocol';

export type ScanSettings = FootprintScanSettings;
export type ScanProblem = FootprintScanProblem;

/**
 * Distinct values all sets of a scan hold together. An entry costs 100-230 bytes of kernel memory at
 * the budget (its slot in a table up to half full, its arrays, and the smaller ones it grew out of,
 * kept for reuse): with 512 Ki, the first 16 MB of a file of 100 measurement columns took 120 MB of
 * kernel memory, 256 Ki 49 MB. At 200 columns it still keeps every column of up to 1,300 values.
 */
const DISTINCT_BUDGET = 256 * 1024;

export class CsvScanner {
  problem: ScanProblem | null = null;
  /** Set when feed() stopped at `stopAt` or at maxRows rather than at the end of the bytes. */
  stopped = false;
  private readonly pooled: PooledKernel;
  private readonly kernel: ScanKernel;
  /** What finish() left: the kernel goes back to the pool then. */
  private final: { rows: number; globals: Float64Array } | null = null;
  private readonly ncols: number;
  private readonly blocks: MicroBlockLog;
  /** Address of the current micro-block's statistics in the kernel's memory. */
  private readonly blockAt: number;
  private bytes: Buffer;
  /** Where fed bytes are copied in the kernel's memory, and its size. */
  private input = 0;
  private inputSize = 0;
  private encodingProblem: { offset: number; byte: number } | null = null;
  /** A NUL byte was fed: the kernel cuts field values there from then on. */
  private nulSeen = false;

  /** @param fastPaths false sends every field to the JavaScript classifier (for tests). */
  constructor(
    private readonly settings: ScanSettings,
    fastPaths = true,
  ) {
    this.ncols = settings.ncols;
    this.blocks = new MicroBlockLog(settings.ncols);
    this.pooled = acquireKernel(this.callbacks());
    this.kernel = this.pooled.exports;
    this.bytes = Buffer.from(this.kernel.memory.buffer);
    this.blockAt = this.kernel.setup(
      settings.ncols,
      settings.delimiter,
      settings.maxRows ?? -1,
      settings.encoding === 'utf8' ? 1 : 0,
      settings.naSpellings.some((s) => /^-?[0-9]*\.?[0-9]*$/.test(s)) ? 0 : 1,
      settings.microRows,
      settings.firstRow ?? -1,
      settings.distinctCap,
      Math.max(settings.distinctCap, DISTINCT_BUDGET),
      fastPaths ? 1 : 0,
    );
    for (const spelling of settings.naSpellings) {
      const encoded = Buffer.from(spelling, 'latin1');
      const at = this.kernel.alloc(encoded.length);
      this.memory().set(encoded, at);
      this.kernel.addNaSpelling(at, encoded.length);
    }
    settings.skipDistinct?.forEach((skip, col) => {
      if (skip === 1 && col < this.ncols) this.kernel.giveUp(col);
    });
  }

  get rows(): number {
    return this.final ? this.final.rows : this.kernel.rowCount();
  }

  /** Whole-range statistics per column (fieldStats G), a copy. */
  get globals(): Float64Array {
    if (this.final) return this.final.globals.slice();
    return new Float64Array(this.kernel.memory.buffer, this.kernel.globalsAt(), this.ncols * GK).slice();
  }

  get microRowCounts(): number[] {
    return this.blocks.rowCounts;
  }

  get microStarts(): number[] {
    return this.blocks.starts;
  }

  /** The kernel's memory as bytes (a new view whenever the memory has grown). */
  private memory(): Buffer {
    if (this.bytes.buffer !== this.kernel.memory.buffer) this.bytes = Buffer.from(this.kernel.memory.buffer);
    return this.bytes;
  }

  private callbacks(): ScanKernelCallbacks {
    const enc = this.settings.encoding;
    return {
      classifySlow: (s, e) => {
        const kind = classifyValue(this.memory(), s, e, this.settings.outOfRangeIsText);
        const p = parsed;
        this.kernel.setParsed(p.value, p.intRange, p.negative ? 1 : 0, p.pyIntSize, p.sigDigits);
        return kind;
      },
      measureText: (s, e) => {
        const mem = this.memory();
        if (!measureText(mem, s, e, enc)) {
          this.encodingProblem = { offset: this.kernel.fieldBase() + width.badOffset, byte: mem[width.badOffset] };
          return 0;
        }
        this.kernel.setText(width.codePoints, width.maxCodePoint, width.utf8Bytes);
        return 1;
      },
      dateSignature: (s, e) => dateSignature(this.memory(), s, e),
      float32Keeps: (v, sig) => (float32Keeps(v, sig) ? 1 : 0),
      flushBlock: (fill, start) => {
        const block = new Float64Array(this.kernel.memory.buffer, this.blockAt, this.ncols * K);
        this.blocks.push(block, fill, start);
      },
    };
  }

  /**
   * Consumes whole records from buf[start, end). Returns the offset of the first byte not consumed
   * (the start of an incomplete record, or of the first record at/after `stopAt`).
   * @param base absolute file offset of buf[0]
   * @param stopAt absolute offset: stop before a record that starts there or later
   */
  feed(buf: Uint8Array, start: number, end: number, eof: boolean, base: number, stopAt = Infinity): number {
    this.inputArea(end - start).set(buf.subarray(start, end));
    return start + this.feedInput(end - start, eof, base + start, stopAt);
  }

  /**
   * The kernel's input area, `size` bytes or more, keeping its first `keep` bytes when it must grow:
   * a caller reads straight into it and calls feedInput(), with no copy. A new view after every call
   * into the kernel (its memory may have grown).
   */
  inputArea(size: number, keep = 0): Buffer {
    if (size > this.inputSize) {
      const old = this.input;
      this.inputSize = Math.max(size, this.inputSize * 2, 64 * 1024);
      // slack after the bytes: the kernel writes a stop byte there and reads up to 64 bytes at a time
      this.input = this.kernel.alloc(this.inputSize + 64);
      if (keep > 0) this.memory().copyWithin(this.input, old, old + keep);
    }
    return this.memory().subarray(this.input, this.input + this.inputSize);
  }

  /**
   * Consumes whole records from the input area's first `n` bytes (see feed()). Returns how many bytes
   * it consumed.
   * @param base absolute file offset of the area's first byte
   */
  feedInput(n: number, eof: boolean, base: number, stopAt = Infinity): number {
    if (
      !this.nulSeen &&
      this.memory()
        .subarray(this.input, this.input + n)
        .indexOf(0) >= 0
    ) {
      this.nulSeen = true;
      this.kernel.setNulCut();
    }
    const at = this.kernel.feed(this.input, this.input + n, eof ? 1 : 0, base, stopAt);
    this.stopped = this.kernel.wasStopped() === 1;
    this.problem = this.kernelProblem();
    return at - this.input;
  }

  private kernelProblem(): ScanProblem | null {
    const kind = this.kernel.problemKind();
    const offset = this.kernel.problemAt();
    if (kind === PROBLEM_EOF_IN_QUOTES) return { kind: 'eof-in-quotes', offset };
    if (kind === PROBLEM_RAGGED)
      return { kind: 'ragged', offset, expected: this.ncols, saw: this.kernel.problemFields() };
    if (kind === PROBLEM_ENCODING && this.encodingProblem) return { kind: 'encoding', ...this.encodingProblem };
    return null;
  }

  /** Ends the current micro-block early (quick mode: one micro-block per sampled piece). */
  cut(): void {
    this.kernel.cut();
    this.stopped = false;
  }

  /** The kernel's memory: the most its scans so far took (it only grows, and a kernel serves scan after scan). */
  get kernelBytes(): number {
    return this.kernel.memory.buffer.byteLength;
  }

  /**
   * Flushes the last partial micro-block; call once at the end (only rows and globals remain then).
   * @param lists false: no distinct values (no columns), only the statistics
   */
  finish(lists = true): { microStats: MicroStats; distinct: (string[] | null)[] } {
    this.kernel.flushNow();
    const distinct: (string[] | null)[] = [];
    if (lists) {
      const known = new Map((this.settings.knownDistinct ?? []).map((k) => [k.col, k]));
      for (let col = 0; col < this.ncols; col++) {
        const k = known.get(col);
        if (this.kernel.setOverflowed(col) === 1) distinct.push(null);
        else distinct.push(k !== undefined && this.holdsExactly(k) ? [] : this.distinctValues(col));
      }
    }
    this.final = { rows: this.rows, globals: this.globals };
    releaseKernel(this.pooled);
    return { microStats: this.blocks.all(), distinct };
  }

  /** Whether the column's set holds exactly the known values: as many, and each of them. */
  private holdsExactly(known: KnownDistinct): boolean {
    const n = known.lengths.length;
    if (this.kernel.setEntries(known.col) !== n) return false;
    // (the kernel reads whole words past a value: room to spare after the last)
    const at = this.kernel.alloc(known.bytes.length + 32);
    this.memory().set(known.bytes, at);
    for (let i = 0, off = at; i < n; off += known.lengths[i++])
      if (this.kernel.setHas(known.col, off, known.lengths[i]) === 0) return false;
    return true;
  }

  /**
   * A column's distinct values in first-seen order. The kernel keeps them back to back in that order:
   * where each byte is one character (latin-1, cp1252, ASCII UTF-8: most columns), they are one
   * decoded string cut at the values' lengths, not a buffer and a decode per value.
   */
  private distinctValues(col: number): string[] {
    const n = this.kernel.setEntries(col);
    const values: string[] = new Array<string>(n);
    if (n === 0) return values;
    const mem = this.memory();
    const enc = this.settings.encoding;
    const first = this.kernel.setValueAt(col, 0);
    const end = this.kernel.setValueAt(col, n - 1) + this.kernel.setValueLength(col, n - 1);
    const text = decodeBytes(mem.subarray(first, end), enc === 'utf8' ? 'latin1' : enc);
    if (enc !== 'utf8' || !/[\u0080-\u00ff]/.test(text)) {
      for (let i = 0, at = 0; i < n; i++) {
        const len = this.kernel.setValueLength(col, i);
        values[i] = text.substring(at, at + len);
        at += len;
      }
      return values;
    }
    for (let i = 0; i < n; i++) {
      const at = this.kernel.setValueAt(col, i);
      values[i] = decodeBytes(mem.subarray(at, at + this.kernel.setValueLength(col, i)), enc);
    }
    return values;
  }
}
