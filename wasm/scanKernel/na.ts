// The NA spellings of a scan (pandas' na_values, as the scanner hands them in), and the test of a field
// against them.
import { alloc } from './heap';

/** Bit (len) set in naFirst[b] when a spelling of that length (< 32) starts with byte b. */
let naFirst: usize = 0;
let naAt: usize = 0; // per spelling: address (u64) and length (u64)
let naRoom = 0;
let naCount = 0;
/** The longest spelling's length: a longer field is never NA. */
export let naMax = 0;

/** Forgets the spellings of the last scan. */
export function naUp(): void {
  naFirst = alloc(256 * 4);
  naAt = 0;
  naRoom = 0;
  naCount = 0;
  naMax = 0;
}

export function addNaSpelling(at: usize, len: i32): void {
  if (len == 0) return;
  if (naCount == naRoom) {
    naRoom = max(16, naRoom * 2);
    const bigger = alloc(<usize>naRoom * 16);
    if (naCount > 0) memory.copy(bigger, naAt, <usize>naCount * 16);
    naAt = bigger;
  }
  store<u64>(naAt + <usize>naCount * 16, at);
  store<u64>(naAt + <usize>naCount * 16, len, 8);
  naCount++;
  const b = load<u8>(at);
  if (len < 32) store<u32>(naFirst + ((<usize>b) << 2), load<u32>(naFirst + ((<usize>b) << 2)) | ((<u32>1) << len));
  if (len > naMax) naMax = len;
}

export function isNa(s: usize, len: i32): bool {
  if (len < 32 && (load<u32>(naFirst + ((<usize>load<u8>(s)) << 2)) & ((<u32>1) << len)) == 0) return false;
  for (let i = 0; i < naCount; i++) {
    const at = naAt + <usize>i * 16;
    if (<i32>load<u64>(at, 8) == len && memory.compare(s, <usize>load<u64>(at), len) == 0) return true;
  }
  return false;
}
