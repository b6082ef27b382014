/**
 * The hot loop: tokenizes CSV bytes like pandas' C tokenizer (quotes, doubled quotes, \n, \r\n, \r,
 * blank and whitespace-only lines skipped) and folds every field into per-column statistics without
 * building strings. Records are dispatched only once complete: a caller can feed buffers that end
 * mid-record and pass the unconsumed tail again with more bytes. */
import { ByteSet, INFO_WIDTH } from './byteSet';
import { foldNumber, noteNumber, noteText, repeatValue } from './valueNotes';
import { KIND_FLOAT, KIND_INT, KIND_STR, NaMatcher, classifyFast, parsed, plainNumber } from './fieldClassify';
import { G, GK, K, S, newGlobals } from './fieldStats';
import { MicroBlocks } from './microBlocks';
import { decodeBytes, measureText, width } from './textWidth';
import { dateSignature } from './dateShape';
import { unquoteInto } from './unquote';
import type { FootprintScanProblem, FootprintScanSettings } from '../../protocol';

export type ScanSettings = FootprintScanSettings;
export type ScanProblem = FootprintScanProblem;

// Module-level copies: imported bindings are getters under CommonJS (tsx), too slow for the hot loop.
const P = parsed;
const classify = classifyFast;
const measure = measureText;
const W = width;
const dateSig = dateSignature;
const [K_FLOAT, K_INT, K_STR] = [KIND_FLOAT, KIND_INT, KIND_STR];
const [parseNumber, foldNum, noteNum, repeat] = [plainNumber, foldNumber, noteNumber, repeatValue];
const KS = K;
const GS = GK;
const { NA, NA_LEN, STR, ASCII_N, ASCII_LEN, LATIN1_N, UCS2_N, UCS4_N, UTF8 } = S;
const { SEQ_OK: G_SEQ_OK, DATE_SIG: G_DATE_SIG } = G;

const DISTINCT_BUDGET = 512 * 1024;

const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;
const QUOTE = 34;

export class CsvScanner extends MicroBlocks {
  problem: ScanProblem | null = null;
  /** Set when feed() stopped at `stopAt` or at maxRows rather than at the end of the bytes. */
  stopped = false;
  readonly globals: Float64Array;
  readonly sets: ByteSet[];
  private readonly na: NaMatcher;
  private readonly ncols: number;
  private readonly delim: number;
  private readonly maxRows: number;
  /** 1 for the bytes that end an unquoted field: the separator, \n and \r. */
  private readonly stop = new Uint8Array(256);
  /** Absolute offset of a record cut by the end of the bytes, and how many of its fields are folded in. */
  private pendingAt = -1;
  private pendingFields = 0;
  private scratch = Buffer.allocUnsafe(1024);
  /**
   * 1 for the columns whose next field is first tried as a plain number, parsed as it is tokenized:
   * high-cardinality columns (no distinct values to look up) whose last field was a number.
   */
  private readonly parseInLoop: Uint8Array;
  /** False when an NA spelling looks like a plain number (then every field goes through the NA check). */
  private readonly plainNumbersArentNa: boolean;

  constructor(private readonly settings: ScanSettings) {
    super(settings.ncols * KS, settings.microRows, settings.firstRow);
    this.ncols = settings.ncols;
    this.delim = settings.delimiter;
    this.maxRows = settings.maxRows ?? -1;
    this.stop[settings.delimiter] = this.stop[LF] = this.stop[CR] = 1;
    this.na = new NaMatcher(settings.naSpellings);
    this.globals = newGlobals(this.ncols);
    // ~40 bytes an entry: at most ~20 MiB of distinct values per scan, whatever the width of the file
    const budget = { entries: 0, limit: Math.max(settings.distinctCap, DISTINCT_BUDGET) };
    this.sets = Array.from({ length: this.ncols }, () => new ByteSet(settings.distinctCap, budget));
    settings.skipDistinct?.forEach((skip, col) => {
      if (skip === 1 && col < this.ncols) this.sets[col].giveUp();
    });
    this.parseInLoop = new Uint8Array(this.ncols);
    this.plainNumbersArentNa = !settings.naSpellings.some((s) => /^-?[0-9]*\.?[0-9]*$/.test(s));
  }

  /**
   * Consumes whole records from buf[start, end). Returns the offset of the first byte not consumed
   * (the start of an incomplete record, or of the first record at/after `stopAt`).
   * @param base absolute file offset of buf[0]
   * @param stopAt absolute offset: stop before a record that starts there or later
   */
  feed(buf: Buffer, start: number, end: number, eof: boolean, base: number, stopAt = Infinity): number {
    // A stop byte just past the end (in the caller's spare room) lets the field loop skip its bounds test.
    if (end >= buf.length) return this.records(buf, start, end, eof, base, stopAt, false);
    const saved = buf[end];
    buf[end] = LF;
    try {
      return this.records(buf, start, end, eof, base, stopAt, true);
    } finally {
      buf[end] = saved;
    }
  }

  private records(
    buf: Buffer,
    start: number,
    end: number,
    eof: boolean,
    base: number,
    stopAt: number,
    sentinel: boolean,
  ): number {
    const delim = this.delim;
    const stop = this.stop;
    const parseInLoop = this.parseInLoop;
    const maxStop = delim > CR ? delim : CR;
    let p = start;
    while (p < end) {
      if (base + p >= stopAt || this.rows === this.maxRows) {
        this.stopped = true;
        return p;
      }
      const rs = p;
      let c = buf[p];
      if (c === LF) {
        p++;
        continue;
      }
      if (c === CR) {
        if (p + 1 < end) p += buf[p + 1] === LF ? 2 : 1;
        else if (eof) p++;
        else return rs;
        continue;
      }
      if ((c === SP || c === TAB) && c !== delim) {
        let q = p + 1;
        while (q < end && (buf[q] === SP || buf[q] === TAB) && buf[q] !== delim) q++;
        if (q === end) {
          if (!eof) return rs;
          return end;
        }
        if (buf[q] === LF || buf[q] === CR) {
          p = q;
          continue;
        }
      }
      // Fields are folded in as they are tokenized; a record cut by the end of the bytes is resumed
      // when fed again, skipping the fields already folded (the same bytes give the same fields).
      const skip = base + rs === this.pendingAt ? this.pendingFields : 0;
      const ncols = this.ncols;
      let bad = -1;
      let nf = 0;
      for (;;) {
        if (p < end && buf[p] === QUOTE) {
          const open = p;
          let q = p + 1;
          let flag = 1;
          let close: number;
          for (;;) {
            const qi = buf.indexOf(QUOTE, q);
            if (qi < 0 || qi >= end) {
              if (!eof) return this.suspend(base + rs, skip, nf, bad, rs);
              this.problem = { kind: 'eof-in-quotes', offset: base + open };
              return end;
            }
            if (qi + 1 < end && buf[qi + 1] === QUOTE) {
              flag = 2;
              q = qi + 2;
              continue;
            }
            if (qi + 1 >= end && !eof) return this.suspend(base + rs, skip, nf, bad, rs);
            close = qi;
            break;
          }
          p = close + 1;
          if (p < end && (c = buf[p]) !== delim && c !== LF && c !== CR) {
            while (p < end && (c = buf[p]) !== delim && c !== LF && c !== CR) p++;
            if (p === end && !eof) return this.suspend(base + rs, skip, nf, bad, rs);
            flag = 3;
          }
          if (nf >= skip && nf < ncols && bad < 0) {
            if (flag === 1) this.field(nf, buf, open + 1, close, base, -1);
            else {
              const s = flag === 3 ? open : open + 1;
              const len = this.unquote(buf, s, flag === 3 ? p : close, flag);
              this.field(nf, this.scratch, 0, len, base + s, -1);
            }
            if (this.problem !== null) bad = nf;
          }
        } else {
          const s0 = p;
          let folded = false;
          // A high-cardinality column of numbers: parse the field while tokenizing it, in one pass over
          // its bytes. (While distinct values are tracked, a value seen again needs no parsing at all.)
          if (nf < ncols && parseInLoop[nf] === 1 && nf >= skip && bad < 0) {
            const q = parseNumber(buf, p, end, stop);
            if (q > 0) {
              foldNum(this.cur, this.globals, nf, P.plainKind, q - p);
              p = q;
              folded = true;
            }
          }
          if (!folded) {
            let hi = 0;
            // most bytes are above every stop byte: one comparison each
            if (sentinel) {
              while ((c = buf[p]) > maxStop || stop[c] === 0) {
                hi |= c;
                p++;
              }
            } else {
              while (p < end && ((c = buf[p]) > maxStop || stop[c] === 0)) {
                hi |= c;
                p++;
              }
            }
            if (p === end && !eof) return this.suspend(base + rs, skip, nf, bad, rs);
            if (nf >= skip && nf < ncols && bad < 0) {
              this.field(nf, buf, s0, p, base, hi < 0x80 ? 0 : 0x80);
              if (this.problem !== null) bad = nf;
            }
          }
        }
        nf++;
        if (p >= end) break;
        c = buf[p];
        if (c === delim) {
          p++;
          if (p === end) {
            if (!eof) return this.suspend(base + rs, skip, nf, bad, rs);
            // a trailing separator at the end of the file: one more, empty field
            if (nf >= skip && nf < ncols && bad < 0) this.field(nf, buf, p, p, base, 0);
            nf++;
            break;
          }
          continue;
        }
        if (c === LF) p++;
        else if (p + 1 < end) p += buf[p + 1] === LF ? 2 : 1;
        else if (eof) p++;
        else return this.suspend(base + rs, skip, nf, bad, rs);
        break;
      }
      this.endRecord(nf, base + rs, bad);
      if (this.problem) return p;
    }
    return p;
  }

  /**
   * Remembers how many fields of the record at `at` are folded in, for when it is fed again whole.
   * A field that failed to decode is folded again then (and fails again, unless the record turns out
   * ragged: pandas reports that first), so the problem waits for the record's end.
   */
  private suspend(at: number, skip: number, nf: number, bad: number, rs: number): number {
    this.pendingAt = at;
    this.pendingFields = bad >= 0 ? bad : Math.max(skip, nf);
    this.problem = null;
    return rs;
  }

  private endRecord(nf: number, at: number, bad: number): void {
    this.pendingAt = -1;
    if (nf > this.ncols) {
      this.problem = { kind: 'ragged', offset: at, expected: this.ncols, saw: nf };
      return;
    }
    if (bad >= 0) return;
    if (this.fill === 0) this.curStart = at;
    for (let i = nf; i < this.ncols; i++) this.cur[i * KS + NA]++;
    this.rows++;
    if (++this.fill === this.target) this.flush();
  }

  private unquote(buf: Buffer, s: number, e: number, flag: number): number {
    if (this.scratch.length < e - s) this.scratch = Buffer.allocUnsafe((e - s) * 2);
    return unquoteInto(buf, s, e, flag, this.scratch);
  }

  /** @param known 0: ASCII, 0x80: not ASCII, -1: not looked at yet */
  private field(col: number, buf: Buffer, s: number, e: number, base: number, known: number): void {
    const st = this.cur;
    const o = col * KS;
    const len = e - s;
    if (len === 0 || (len <= this.na.maxLength && this.na.matches(buf, s, e))) {
      st[o + NA]++;
      st[o + NA_LEN] += len;
      this.globals[col * GS + G_SEQ_OK] = 0;
      return;
    }
    let hi = known;
    const set = this.sets[col];
    let entry = -1;
    if (!set.overflow) {
      const seen = set.add(buf, s, e);
      // A value seen before classifies the same: count it from what was noted then. (An index
      // column's sequence check needs every value in order.)
      // (A value that failed to decode has nothing noted: it fails again.)
      if (seen >= 0 && set.info[seen * INFO_WIDTH] !== 0 && (col !== 0 || this.globals[G_SEQ_OK] === 0)) {
        repeat(this.cur, this.globals, col, set.info, seen * INFO_WIDTH, len);
        return;
      }
      entry = set.inserted;
    }
    if (hi < 0) {
      hi = 0;
      for (let i = s; i < e; i++) hi |= buf[i];
    }
    const g = col * GS;
    const kind = hi < 0x80 ? classify(buf, s, e) : K_STR;
    this.parseInLoop[col] = (kind === K_INT || kind === K_FLOAT) && set.overflow && this.plainNumbersArentNa ? 1 : 0;
    if (kind === K_STR) {
      st[o + STR]++;
      this.globals[g + G_SEQ_OK] = 0;
      if (hi < 0x80 && this.settings.encoding === 'utf8') {
        st[o + ASCII_N]++;
        st[o + ASCII_LEN] += len;
        st[o + UTF8] += len;
        if (entry >= 0) noteText(set.info, entry * INFO_WIDTH, ASCII_N, len, len);
      } else {
        if (!measure(buf, s, e, this.settings.encoding)) {
          this.problem = { kind: 'encoding', offset: base + W.badOffset, byte: buf[W.badOffset] };
          return;
        }
        const n = W.codePoints;
        const m = W.maxCodePoint;
        const w = m < 128 ? ASCII_N : m < 256 ? LATIN1_N : m < 65536 ? UCS2_N : UCS4_N;
        st[o + w]++;
        st[o + w + 1] += n;
        st[o + UTF8] += W.utf8Bytes;
        if (entry >= 0) noteText(set.info, entry * INFO_WIDTH, w, n, W.utf8Bytes);
      }
      const sig = this.globals[g + G_DATE_SIG];
      if (sig !== -1) {
        const d = dateSig(buf, s, e);
        this.globals[g + G_DATE_SIG] = d <= 0 || (sig !== 0 && sig !== d) ? -1 : d;
      }
      return;
    }
    if (entry >= 0) noteNum(set.info, entry * INFO_WIDTH, kind);
    foldNum(this.cur, this.globals, col, kind, len);
  }

  /** Ends the current micro-block early (quick mode: one micro-block per sampled piece). */
  cut(): void {
    if (this.fill > 0) this.flush();
    this.pendingAt = -1;
    this.stopped = false;
  }

  /** Flushes the last partial micro-block; call once at the end. */
  finish(): { microStats: Float64Array; distinct: (string[] | null)[] } {
    if (this.fill > 0) this.flush();
    const enc = this.settings.encoding;
    return {
      microStats: this.microStats.slice(0, this.microCount * this.ncols * KS),
      distinct: this.sets.map((set) => (set.overflow ? null : set.values((b) => decodeBytes(b, enc)))),
    };
  }
}
