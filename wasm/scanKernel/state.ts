// The settings of a scan (fixed by setup()) and the state that the field and record code share.
import { alloc } from './heap';
import { PROBLEM_NONE } from './layout';

export const LF: u32 = 10;
export const CR: u32 = 13;
export const SP: u32 = 32;
export const TAB: u32 = 9;
export const QUOTE: u32 = 34;

export let ncols: i32 = 0;
export let delim: u32 = 44;
export let delimVec: v128 = i8x16.splat(44);
export let maxRows: f64 = -1;
export let utf8: bool = true;
export let plainNumbersArentNa: bool = true;
export let microRows: i32 = 1;
/** False to send every field to JavaScript (classifySlow, measureText, dateSignature): tests compare. */
export let fastPaths: bool = true;
/**
 * Per column, which of its fields the tokenizer's loop reads before the general path (0: none).
 * PARSE_ALL: the numbers of a high-cardinality column, parsed and folded in. PARSE_INT_CODES,
 * PARSE_DATE_CODES and PARSE_DECIMAL_CODES: a column whose distinct values are tracked, where an integer,
 * an ISO date or a plain decimal seen before is counted from a bitmap instead of a look at its set
 * (codes.ts).
 */
export let parseInLoop: usize = 0;
export const PARSE_ALL: u8 = 1;
export const PARSE_INT_CODES: u8 = 2;
export const PARSE_DECIMAL_CODES: u8 = 3;
export const PARSE_DATE_CODES: u8 = 4;
/**
 * Files of this many columns and more count their integers from bitmaps from the first value: the sets
 * of a hundred integer columns outgrow the CPU's caches, and each look waited on memory (~130 ns a field
 * on 200 columns; parsing a code takes a few). With fewer columns a column waits until its set holds
 * a hundred values (codes.ts): a handful stay in cache, where a look costs less than parsing.
 */
const SMALL_INTS_FROM_COLUMNS = 32;
export let smallIntBitmaps: bool = false;
/** Set once the fed bytes hold a NUL: pandas' C parser ends each field's value at its first NUL. */
export let nulCut: bool = false;
/** What went wrong (PROBLEM_*), if anything. */
export let problem: i32 = PROBLEM_NONE;
/** Absolute file offset of memory address 0 during a feed. */
export let baseAdj: f64 = 0;

export function settingsUp(
  columns: i32,
  delimiter: i32,
  rowLimit: f64,
  isUtf8: i32,
  numbersArentNa: i32,
  blockRows: i32,
  useFastPaths: i32,
): void {
  ncols = columns;
  delim = <u32>delimiter;
  delimVec = i8x16.splat(<i8>delim);
  maxRows = rowLimit;
  utf8 = isUtf8 != 0;
  fastPaths = useFastPaths != 0;
  plainNumbersArentNa = numbersArentNa != 0 && fastPaths;
  microRows = blockRows;
  problem = PROBLEM_NONE;
  nulCut = false;
  baseAdj = 0;
  // (one more, 0: the loop reads a ragged record's extra fields there)
  parseInLoop = alloc(<usize>columns + 1);
  store<u8>(parseInLoop + <usize>columns, 0);
  smallIntBitmaps = columns >= SMALL_INTS_FROM_COLUMNS && plainNumbersArentNa;
}

// (Other modules cannot assign to an imported binding.)
export function setProblem(kind: i32): void {
  problem = kind;
}
export function setBaseAdj(at: f64): void {
  baseAdj = at;
}
export function setNulCut(): void {
  nulCut = true;
}
export function fieldBase(): f64 {
  return baseAdj;
}
