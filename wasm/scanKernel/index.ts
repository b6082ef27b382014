/**
 * The CSV scan kernel, in AssemblyScript (compiled to WebAssembly by scripts/build-kernel.mjs): the
 * tokenizer of src/core/footprint/csvScanner.ts and the commonest field shapes (NA spellings, values
 * seen before, plain integers and decimals, ASCII text) folded into the column statistics without
 * leaving WebAssembly. Rarer shapes (exponents, big integers, non-ASCII text, date shapes, float32
 * round trips) call back into the scanner's JavaScript (host.ts), which shares this module's memory.
 */
import { codesUp } from './codes';
import { datesUp } from './dates';
import { resetHeap } from './heap';
import { naUp } from './na';
import { numbersUp } from './numbers';
import { setsUp } from './sets';
import { cur, glob, statsUp } from './stats';
import { fieldsUp } from './fields';
import { recordsUp } from './records';
import { problem, settingsUp } from './state';

export { alloc } from './heap';
export { setParsed } from './numbers';
// a set's state for the scanner's finish() (a bool comes out as 0 or 1)
export {
  entries as setEntries,
  giveUp,
  overflowed as setOverflowed,
  setHas,
  valueAt as setValueAt,
  valueLength as setValueLength,
} from './sets';
export { addNaSpelling } from './na';
export { fieldBase, setNulCut } from './state';
export { setText } from './fields';
export { cut, feed, flushNow, problemAt, problemFields, rowCount, wasStopped } from './records';

/**
 * Starts a scan afresh (an instance serves one scan after another); returns the address of the current
 * micro-block's statistics (ncols * K doubles). firstRow < 0: unknown.
 */
export function setup(
  columns: i32,
  delimiter: i32,
  rowLimit: f64,
  isUtf8: i32,
  numbersArentNa: i32,
  blockRows: i32,
  firstRow: f64,
  distinctCap: i32,
  budgetLimit: i32,
  useFastPaths: i32,
): usize {
  resetHeap();
  recordsUp(blockRows, firstRow);
  fieldsUp();
  naUp();
  settingsUp(columns, delimiter, rowLimit, isUtf8, numbersArentNa, blockRows, useFastPaths);
  numbersUp(<u32>delimiter);
  statsUp(columns);
  setsUp(distinctCap, budgetLimit);
  codesUp();
  datesUp(columns);
  return cur;
}

export function globalsAt(): usize {
  return glob;
}
export function problemKind(): i32 {
  return problem;
}
