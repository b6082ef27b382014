// What the kernel calls back in JavaScript (import module "host"); each reads the field bytes from the
// kernel's memory. See CsvScanner.callbacks() in src/core/footprint/csvScanner.ts.

/** Classifies a field the fast paths left undecided; fills the parsed value through setParsed. */
export declare function classifySlow(s: usize, e: usize): i32;
/** Measures text that is not ASCII UTF-8 through setText; 0 when it does not decode (a problem). */
export declare function measureText(s: usize, e: usize): i32;
export declare function dateSignature(s: usize, e: usize): f64;
/** Whether float32 keeps `v` at `sig` significant digits (needs JavaScript's toPrecision). */
export declare function float32Keeps(v: f64, sig: i32): i32;
/** Takes the statistics of a finished micro-block of `fill` rows starting at absolute offset `start`. */
export declare function flushBlock(fill: i32, start: f64): void;
