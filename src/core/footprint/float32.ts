/**
 * Whether float32 keeps a value at the precision it is written with: rounding float32(v) to `sig`
 * significant digits reads back as v. The CSV scan knows the digits as written (its kernel calls this
 * back, since it needs toPrecision); a Parquet double is written as its shortest round-trip text.
 */
export function float32Keeps(v: number, sig: number): boolean {
  const f = Math.fround(v);
  return Number.isFinite(f) && Number(f.toPrecision(sig)) === v;
}

/** Significant digits of the shortest text that reads back as v (what Python's repr writes). */
export function shortestDigits(v: number): number {
  return v.toExponential().split('e')[0].replace(/[-.]/g, '').length;
}
