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
/** Per column, 1 while its fields are numbers parsed in the tokenizer's loop. */
export let parseInLoop: usize = 0;
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
  parseInLoop = alloc(<usize>columns);
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
