/**
 * How a classified field is folded into the statistics: in full (foldNumber; text stays in the
 * scanner), and again from what a column's distinct-value set noted about the value when it was first
 * classified, so that the same value seen again is counted without classifying, measuring or parsing
 * it again. Min, max, float32 and date-shape checks need nothing: a value seen again cannot change them.
 */
import { KIND_BOOL, KIND_FLOAT, KIND_INT, KIND_STR, parsed } from './fieldClassify';
import { G, GK, K, S, foldSequence } from './fieldStats';

const { INT64, UINT_ONLY, BIGINT, NEG, FLOAT, BOOL, BOOL_TRUE, STR, ASCII_N, ASCII_LEN, UTF8, PYINT, INT_ZERO } = S;
const { NUMERIC: G_NUMERIC, ZEROS: G_ZEROS, MIN: G_MIN, MAX: G_MAX, F32_ERR: G_F32_ERR, F32_KEEPS: G_F32_KEEPS } = G;
const { INTEGRAL: G_INTEGRAL, DATE_SIG: G_DATE_SIG, SEQ_OK: G_SEQ_OK } = G;
const [K_BOOL, K_FLOAT, K_INT, K_STR] = [KIND_BOOL, KIND_FLOAT, KIND_INT, KIND_STR];
const KS = K;
const GS = GK;

// Per value (ByteSet.info): kind and flags, then the code points and UTF-8 bytes of text, or the
// getsizeof of an integer.
const KIND_BITS = 7;
const RANGE_SHIFT = 3;
const NEG_FLAG = 1 << 5;
const ZERO_FLAG = 1 << 6;
const TRUE_FLAG = 1 << 7;
const WIDTH_SHIFT = 8;

export function noteText(info: Int32Array, k: number, width: number, codePoints: number, utf8Bytes: number): void {
  info[k] = KIND_STR | (width << WIDTH_SHIFT);
  info[k + 1] = codePoints;
  info[k + 2] = utf8Bytes;
}

/** Notes the number or bool just classified into `parsed`. */
export function noteNumber(info: Int32Array, k: number, kind: number): void {
  const v = parsed.value;
  let f = kind | (v === 0 ? ZERO_FLAG : 0);
  if (kind === KIND_BOOL && v) f |= TRUE_FLAG;
  if (kind === KIND_INT) {
    f |= (parsed.intRange << RANGE_SHIFT) | (parsed.negative ? NEG_FLAG : 0);
    info[k + 3] = parsed.pyIntSize;
  }
  info[k] = f;
}

/** Counts again a field whose value was classified before, from what noteText/noteNumber kept. */
export function repeatValue(
  st: Float64Array,
  gl: Float64Array,
  col: number,
  info: Int32Array,
  k: number,
  len: number,
): void {
  const o = col * KS;
  const f = info[k];
  const kind = f & KIND_BITS;
  if (kind === K_STR) {
    const w = f >> WIDTH_SHIFT;
    st[o + STR]++;
    st[o + w]++;
    st[o + w + 1] += info[k + 1];
    st[o + UTF8] += info[k + 2];
    return;
  }
  st[o + ASCII_N]++;
  st[o + ASCII_LEN] += len;
  st[o + UTF8] += len;
  const g = col * GS;
  gl[g + G_NUMERIC]++;
  if ((f & ZERO_FLAG) !== 0) gl[g + G_ZEROS]++;
  if (kind === K_BOOL) {
    st[o + BOOL]++;
    if ((f & TRUE_FLAG) !== 0) st[o + BOOL_TRUE]++;
  } else if (kind === K_INT) {
    const r = (f >> RANGE_SHIFT) & 3;
    st[o + (r === 0 ? INT64 : r === 1 ? UINT_ONLY : BIGINT)]++;
    if ((f & NEG_FLAG) !== 0 && r === 0) st[o + NEG]++;
    st[o + PYINT] += info[k + 3];
    if ((f & ZERO_FLAG) !== 0) st[o + INT_ZERO]++;
  } else st[o + FLOAT]++;
}

/** Folds in a number or bool field of `len` ASCII bytes, already classified into `parsed`. */
export function foldNumber(st: Float64Array, gl: Float64Array, col: number, kind: number, len: number): void {
  const o = col * KS;
  const g = col * GS;
  st[o + ASCII_N]++;
  st[o + ASCII_LEN] += len;
  st[o + UTF8] += len;
  gl[g + G_DATE_SIG] = -1;
  if (kind !== K_INT) gl[g + G_SEQ_OK] = 0;
  gl[g + G_NUMERIC]++;
  const v = parsed.value;
  if (v < gl[g + G_MIN]) gl[g + G_MIN] = v;
  if (v > gl[g + G_MAX]) gl[g + G_MAX] = v;
  if (v === 0) gl[g + G_ZEROS]++;
  if (kind === K_BOOL) {
    st[o + BOOL]++;
    if (v) st[o + BOOL_TRUE]++;
    return;
  }
  if (kind === K_INT) {
    const r = parsed.intRange;
    if (col === 0 && gl[G_SEQ_OK] === 1) foldSequence(gl, g, v, r); // only an index column uses it
    st[o + (r === 0 ? INT64 : r === 1 ? UINT_ONLY : BIGINT)]++;
    if (parsed.negative && r === 0) st[o + NEG]++;
    st[o + PYINT] += parsed.pyIntSize;
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
    if (err !== 0 && gl[g + G_F32_KEEPS] === 1 && (parsed.sigDigits > 6 || a < 1.2e-38 || a > 3.4e38)) {
      const sig = Math.min(parsed.sigDigits, 100);
      if (!Number.isFinite(f) || Number(f.toPrecision(sig)) !== v) gl[g + G_F32_KEEPS] = 0;
    }
  }
}
