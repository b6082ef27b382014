/**
 * The hot loop: tokenizes CSV bytes like pandas' C tokenizer (quotes, doubled quotes, \n, \r\n, \r,
 * blank and whitespace-only lines skipped) and folds every field into per-column statistics without
 * building strings. Records are dispatched only once complete: a caller can feed buffers that end
 * mid-record and pass the unconsumed tail again with more bytes. */
import { ByteSet } from './byteSet';
import { KIND_BOOL, KIND_FLOAT, KIND_INT, KIND_STR, NaMatcher, classifyValue, parsed } from './fieldClassify';
import { G, GK, K, S, newGlobals } from './fieldStats';
import { decodeBytes, measureText, width } from './textWidth';
import { dateSignature } from './dateShape';
import { unquoteInto } from './unquote';
import type { FootprintScanProblem, FootprintScanSettings } from '../../protocol';

export type ScanSettings = FootprintScanSettings;
export type ScanProblem = FootprintScanProblem;

// Module-level copies: imported bindings are getters under CommonJS (tsx), too slow for the hot loop.
const P = parsed;
const classify = classifyValue;
const measure = measureText;
const W = width;
const dateSig = dateSignature;
const [K_BOOL, K_FLOAT, K_INT, K_STR] = [KIND_BOOL, KIND_FLOAT, KIND_INT, KIND_STR];
const KS = K;
const GS = GK;
const { NA, NA_LEN, INT64, UINT_ONLY, BIGINT, NEG, FLOAT, BOOL, BOOL_TRUE, STR, ASCII_N, ASCII_LEN } = S;
const { LATIN1_N, UCS2_N, UCS4_N, UTF8, PYINT, INT_ZERO } = S;
const { SEQ_FIRST: G_SEQ_FIRST, SEQ_LAST: G_SEQ_LAST, SEQ_STEP: G_SEQ_STEP, SEQ_N: G_SEQ_N, SEQ_OK: G_SEQ_OK } = G;
const { MIN: G_MIN, MAX: G_MAX, ZEROS: G_ZEROS, F32_ERR: G_F32_ERR, F32_KEEPS: G_F32_KEEPS } = G;
const { INTEGRAL: G_INTEGRAL, DATE_SIG: G_DATE_SIG, NUMERIC: G_NUMERIC } = G;

const DISTINCT_BUDGET = 512 * 1024;
const LF = 10;
const CR = 13;
const SP = 32;
const TAB = 9;
const QUOTE = 34;

export class CsvScanner {
  rows = 0;
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
  private fs = new Int32Array(64);
  private fe = new Int32Array(64);
  private fq = new Uint8Array(64);
  private scratch = Buffer.allocUnsafe(1024);
  // micro-blocks
  private cur: Float64Array;
  private fill = 0;
  private target: number;
  private curStart = 0;
  private microStats: Float64Array;
  private microCount = 0;
  readonly microRowCounts: number[] = [];
  readonly microStarts: number[] = [];

  constructor(private readonly settings: ScanSettings) {
    this.ncols = settings.ncols;
    this.delim = settings.delimiter;
    this.maxRows = settings.maxRows ?? -1;
    this.stop[settings.delimiter] = this.stop[LF] = this.stop[CR] = 1;
    this.na = new NaMatcher(settings.naSpellings);
    this.globals = newGlobals(this.ncols);
    // ~40 bytes an entry: at most ~20 MiB of distinct values per scan, whatever the width of the file
    const budget = { entries: 0, limit: Math.max(settings.distinctCap, DISTINCT_BUDGET) };
    this.sets = Array.from({ length: this.ncols }, () => new ByteSet(settings.distinctCap, budget));
    this.cur = new Float64Array(this.ncols * KS);
    this.microStats = new Float64Array(this.ncols * KS * 8);
    const first = settings.firstRow;
    this.target = first === null ? settings.microRows : settings.microRows - (first % settings.microRows);
  }

  /**
   * Consumes whole records from buf[start, end). Returns the offset of the first byte not consumed
   * (the start of an incomplete record, or of the first record at/after `stopAt`).
   * @param base absolute file offset of buf[0]
   * @param stopAt absolute offset: stop before a record that starts there or later
   */
  feed(buf: Buffer, start: number, end: number, eof: boolean, base: number, stopAt = Infinity): number {
    const delim = this.delim;
    const stop = this.stop;
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
      let nf = 0;
      for (;;) {
        if (nf === this.fs.length) this.growFields();
        if (p < end && buf[p] === QUOTE) {
          const open = p;
          let q = p + 1;
          let flag = 1;
          let close: number;
          for (;;) {
            const qi = buf.indexOf(QUOTE, q);
            if (qi < 0 || qi >= end) {
              if (!eof) return rs;
              this.problem = { kind: 'eof-in-quotes', offset: base + open };
              return end;
            }
            if (qi + 1 < end && buf[qi + 1] === QUOTE) {
              flag = 2;
              q = qi + 2;
              continue;
            }
            if (qi + 1 >= end && !eof) return rs;
            close = qi;
            break;
          }
          p = close + 1;
          if (p < end && (c = buf[p]) !== delim && c !== LF && c !== CR) {
            while (p < end && (c = buf[p]) !== delim && c !== LF && c !== CR) p++;
            if (p === end && !eof) return rs;
            this.fs[nf] = open;
            this.fe[nf] = p;
            this.fq[nf] = 3;
          } else {
            this.fs[nf] = open + 1;
            this.fe[nf] = close;
            this.fq[nf] = flag;
          }
        } else {
          const s0 = p;
          let hi = 0;
          while (p < end && stop[(c = buf[p])] === 0) {
            hi |= c;
            p++;
          }
          if (p === end && !eof) return rs;
          this.fs[nf] = s0;
          this.fe[nf] = p;
          this.fq[nf] = hi < 0x80 ? 0 : 4;
        }
        nf++;
        if (p >= end) break;
        c = buf[p];
        if (c === delim) {
          p++;
          if (p === end) {
            if (!eof) return rs;
            if (nf === this.fs.length) this.growFields();
            this.fs[nf] = this.fe[nf] = p;
            this.fq[nf] = 0;
            nf++;
            break;
          }
          continue;
        }
        if (c === LF) p++;
        else if (p + 1 < end) p += buf[p + 1] === LF ? 2 : 1;
        else if (eof) p++;
        else return rs;
        break;
      }
      this.record(buf, nf, base, rs);
      if (this.problem) return p;
    }
    return p;
  }

  private record(buf: Buffer, nf: number, base: number, rs: number): void {
    if (nf > this.ncols) {
      this.problem = { kind: 'ragged', offset: base + rs, expected: this.ncols, saw: nf };
      return;
    }
    if (this.fill === 0) this.curStart = base + rs;
    for (let i = 0; i < nf; i++) {
      const q = this.fq[i];
      if (q === 0) this.field(i, buf, this.fs[i], this.fe[i], base, 0);
      else if (q === 4) this.field(i, buf, this.fs[i], this.fe[i], base, 0x80);
      else if (q === 1) this.field(i, buf, this.fs[i], this.fe[i], base, -1);
      else {
        const len = this.unquote(buf, this.fs[i], this.fe[i], q);
        this.field(i, this.scratch, 0, len, base + this.fs[i], -1);
      }
      if (this.problem) return;
    }
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
    if (!set.overflow) {
      let h = 0x811c9dc5;
      for (let i = s; i < e; i++) h = Math.imul(h ^ buf[i], 16777619);
      // murmur3 finalizer: FNV's low bits cluster on short numeric text, and the table uses low bits
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      set.add(buf, s, e, h ^ (h >>> 16));
    }
    if (hi < 0) {
      hi = 0;
      for (let i = s; i < e; i++) hi |= buf[i];
    }
    const g = col * GS;
    const kind = hi < 0x80 ? classify(buf, s, e) : K_STR;
    if (kind === K_STR) {
      st[o + STR]++;
      this.globals[g + G_SEQ_OK] = 0;
      if (hi < 0x80 && this.settings.encoding === 'utf8') {
        st[o + ASCII_N]++;
        st[o + ASCII_LEN] += len;
        st[o + UTF8] += len;
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
      }
      const sig = this.globals[g + G_DATE_SIG];
      if (sig !== -1) {
        const d = dateSig(buf, s, e);
        this.globals[g + G_DATE_SIG] = d <= 0 || (sig !== 0 && sig !== d) ? -1 : d;
      }
      return;
    }
    st[o + ASCII_N]++;
    st[o + ASCII_LEN] += len;
    st[o + UTF8] += len;
    const gl = this.globals;
    gl[g + G_DATE_SIG] = -1;
    if (kind !== K_INT) gl[g + G_SEQ_OK] = 0;
    gl[g + G_NUMERIC]++;
    const v = P.value;
    if (v < gl[g + G_MIN]) gl[g + G_MIN] = v;
    if (v > gl[g + G_MAX]) gl[g + G_MAX] = v;
    if (v === 0) gl[g + G_ZEROS]++;
    if (kind === K_BOOL) {
      st[o + BOOL]++;
      if (v) st[o + BOOL_TRUE]++;
      return;
    }
    if (kind === K_INT) {
      const r = P.intRange;
      if (col === 0 && gl[G_SEQ_OK] === 1) this.sequence(gl, g, v, r); // only an index column uses it
      st[o + (r === 0 ? INT64 : r === 1 ? UINT_ONLY : BIGINT)]++;
      if (P.negative && r === 0) st[o + NEG]++;
      st[o + PYINT] += P.pyIntSize;
      if (v === 0) st[o + INT_ZERO]++;
    } else if (kind === K_FLOAT) {
      st[o + FLOAT]++;
      if (gl[g + G_INTEGRAL] === 1 && !Number.isInteger(v)) gl[g + G_INTEGRAL] = 0;
    }
    // integers below 2^24 are exact in float32
    if (v !== 0 && Number.isFinite(v) && (kind !== K_INT || v >= 16777216 || v <= -16777216)) {
      const f = Math.fround(v);
      const err = Math.abs((f - v) / v);
      if (err > gl[g + G_F32_ERR]) gl[g + G_F32_ERR] = err;
      // Up to 6 significant digits always survive float32 in its normal range (FLT_DIG = 6).
      const a = v < 0 ? -v : v;
      if (err !== 0 && gl[g + G_F32_KEEPS] === 1 && (P.sigDigits > 6 || a < 1.2e-38 || a > 3.4e38)) {
        const sig = Math.min(P.sigDigits, 100);
        if (!Number.isFinite(f) || Number(f.toPrecision(sig)) !== v) gl[g + G_F32_KEEPS] = 0;
      }
    }
  }

  private sequence(gl: Float64Array, g: number, v: number, range: number): void {
    const n = gl[g + G_SEQ_N];
    if (range !== 0 || !Number.isSafeInteger(v)) gl[g + G_SEQ_OK] = 0;
    else if (n === 0) gl[g + G_SEQ_FIRST] = v;
    else if (n === 1) gl[g + G_SEQ_STEP] = v - gl[g + G_SEQ_LAST];
    else if (v - gl[g + G_SEQ_LAST] !== gl[g + G_SEQ_STEP]) gl[g + G_SEQ_OK] = 0;
    gl[g + G_SEQ_LAST] = v;
    gl[g + G_SEQ_N] = n + 1;
  }

  private flush(): void {
    const size = this.ncols * KS;
    const need = (this.microCount + 1) * size;
    if (need > this.microStats.length) {
      const bigger = new Float64Array(Math.max(need, this.microStats.length * 2));
      bigger.set(this.microStats);
      this.microStats = bigger;
    }
    this.microStats.set(this.cur, this.microCount * size);
    this.microCount++;
    this.microRowCounts.push(this.fill);
    this.microStarts.push(this.curStart);
    this.cur.fill(0);
    this.fill = 0;
    this.target = this.settings.microRows;
  }

  /** Ends the current micro-block early (quick mode: one micro-block per sampled piece). */
  cut(): void {
    if (this.fill > 0) this.flush();
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

  private growFields(): void {
    const n = this.fs.length * 2;
    const fs = new Int32Array(n);
    fs.set(this.fs);
    const fe = new Int32Array(n);
    fe.set(this.fe);
    const fq = new Uint8Array(n);
    fq.set(this.fq);
    this.fs = fs;
    this.fe = fe;
    this.fq = fq;
  }
}
