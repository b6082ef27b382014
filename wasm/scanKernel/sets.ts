// The distinct values of each column, keyed by their bytes: open addressing over 16-byte slots
// [a: u64, len (and the NOTED bit): u32, entry + 1: u32]. A value of up to 8 bytes is its own key (a), so a match needs no
// comparison; a longer one keys on a hash of its bytes and compares the arena (two words up to 16 bytes). Memory per entry is kept small: at the cap a scan holds 65,536 entries for each such column. A set gives up at
// `cap` entries (the column is high-cardinality); when all sets together hold `budget` entries, the
// biggest give up (evictAboveShare). Per entry the scan notes what it learnt about the value (INFO_WIDTH
// i32) and counts its repeats. Values of some shapes are also marked in a bitmap (codes.ts), so that a
// value seen again needs no look at the set.
import { alloc, allocBlock, release } from './heap';
import { lowBytes } from './numbers';
import { ncols } from './state';

const SLOT: usize = 16;
export const INFO_WIDTH: usize = 3;
const ARENA_CAP: usize = 16 * 1024 * 1024;

// One record per column (COL bytes at sets + col * COL): addresses and sizes of its parts.
const COL: usize = 128;
const TABLE: usize = 0;
const MASK: usize = 8;
const SIZE: usize = 16;
const ROOM: usize = 24; // entries the per-entry arrays hold
const OFFSETS: usize = 32; // u32 arena offset per entry
const LENGTHS: usize = 40; // u32 length per entry
const INFO: usize = 56; // INFO_WIDTH i32 per entry
const ARENA: usize = 64;
const ARENA_USED: usize = 72;
const ARENA_SIZE: usize = 80;
const OVERFLOW: usize = 88;
const COUNTS: usize = 96; // u32 per entry: repeats in the current micro-block

const START_SLOTS: usize = 16;
const START_ROOM: usize = 8;
const START_ARENA: usize = 128;

let sets: usize = 0;
let cap: usize = 0;
let budget: i32 = 0;
let budgetUsed: i32 = 0;
/** Entry the last setAdd inserted, -1 when none. */
export let inserted: i32 = -1;
/** Where that entry's slot is (until the next insertion): markNoted flags it. */
let insertedSlot: usize = 0;
/**
 * Set in a slot's length word once the scan has noted what its value is (a value that failed to
 * decode has nothing noted): SetLookup.find then finds only such values, with no look at the notes.
 */
const NOTED: u32 = 0x80000000;

/** After settingsUp (ncols). */
export function setsUp(distinctCap: i32, budgetLimit: i32): void {
  cap = <usize>distinctCap;
  budget = budgetLimit;
  budgetUsed = 0;
  inserted = -1;
  givenUp = false;
  sets = alloc(<usize>ncols * COL);
  // Sets start small (about 600 bytes with the record) and double as they fill: a file of 100,000
  // columns and a few rows must not cost what 100,000 busy columns would.
  for (let c = 0; c < ncols; c++) {
    const r = sets + <usize>c * COL;
    store<usize>(r, allocBlock(START_SLOTS * SLOT), TABLE);
    store<usize>(r, START_SLOTS - 1, MASK);
    store<usize>(r, START_ROOM, ROOM);
    store<usize>(r, allocBlock(START_ROOM * 4), OFFSETS);
    store<usize>(r, allocBlock(START_ROOM * 4), LENGTHS);
    store<usize>(r, allocBlock(START_ROOM * INFO_WIDTH * 4), INFO);
    store<usize>(r, allocBlock(START_ROOM * 4), COUNTS);
    store<usize>(r, allocBlock(START_ARENA), ARENA);
    store<usize>(r, START_ARENA, ARENA_SIZE);
  }
}

function rec(col: i32): usize {
  return sets + <usize>col * COL;
}

export function overflowed(col: i32): bool {
  // 1: given up, 2: given up and all its memory given back
  return load<usize>(rec(col), OVERFLOW) != 0;
}
export function entries(col: i32): i32 {
  return <i32>load<usize>(rec(col), SIZE);
}
export function valueAt(col: i32, i: i32): usize {
  const r = rec(col);
  return load<usize>(r, ARENA) + load<u32>(load<usize>(r, OFFSETS) + ((<usize>i) << 2));
}
export function valueLength(col: i32, i: i32): i32 {
  return load<u32>(load<usize>(rec(col), LENGTHS) + ((<usize>i) << 2));
}
export function infoOf(col: i32, entry: i32): usize {
  return load<usize>(rec(col), INFO) + ((<usize>entry * INFO_WIDTH) << 2);
}
/** Address of the entry's repeat count in the current micro-block. */
export function countOf(col: i32, entry: i32): usize {
  return load<usize>(rec(col), COUNTS) + ((<usize>entry) << 2);
}

/**
 * Stops tracking a column's values. Its table, hashes, offsets and arena are given back now; its
 * lengths, notes and counts when the current block's counts are folded in (releaseGivenUp).
 */
export function giveUp(col: i32): void {
  const r = rec(col);
  if (load<usize>(r, OVERFLOW) != 0) return;
  store<usize>(r, 1, OVERFLOW);
  budgetUsed -= <i32>load<usize>(r, SIZE);
  store<usize>(r, 0, SIZE);
  const room = load<usize>(r, ROOM);
  release(load<usize>(r, TABLE), (load<usize>(r, MASK) + 1) * SLOT);
  release(load<usize>(r, OFFSETS), room * 4);
  release(load<usize>(r, ARENA), load<usize>(r, ARENA_SIZE));
  givenUp = true;
}

let givenUp = false;

/** Gives back the rest of the sets given up (call once their counts are folded in). */
export function releaseGivenUp(columns: i32): void {
  if (!givenUp) return;
  givenUp = false;
  for (let c = 0; c < columns; c++) {
    const r = rec(c);
    if (load<usize>(r, OVERFLOW) != 1) continue;
    store<usize>(r, 2, OVERFLOW);
    const room = load<usize>(r, ROOM);
    release(load<usize>(r, LENGTHS), room * 4);
    release(load<usize>(r, COUNTS), room * 4);
    release(load<usize>(r, INFO), room * 4 * INFO_WIDTH);
  }
}

/** The slot key of the value at [s, s + len): its bytes up to 8, else a hash of them. */
function keyOf(s: usize, len: i32): u64 {
  if (len <= 16) return ValueLookup.shortKey(s, len);
  // Longer text (descriptions, addresses) eight bytes at a time in two lanes, the last word read where
  // it ends (overlapping the one before): a byte at a time, a 150-byte value took ~600 cycles.
  let a: u64 = 0xcbf29ce484222325;
  let b: u64 = 0x84222325cbf29ce4;
  const n = <usize>len;
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) {
    a = rotl<u64>((a ^ load<u64>(s + i)) * 0x9e3779b97f4a7c15, 29);
    b = rotl<u64>((b ^ load<u64>(s + i, 8)) * 0xff51afd7ed558ccd, 31);
  }
  if (i + 8 < n) a = rotl<u64>((a ^ load<u64>(s + i)) * 0x9e3779b97f4a7c15, 29);
  b = (b ^ load<u64>(s + n - 8)) * 0xc4ceb9fe1a85ec53;
  return a ^ rotl<u64>(b, 32);
}

/** Whether the `len` (> 16) bytes at x and y are equal: sixteen at a time, the last sixteen where they end. */
function sameLong(x: usize, y: usize, len: i32): bool {
  const n = <usize>len;
  for (let i: usize = 0; i + 16 < n; i += 16)
    if (!i8x16.all_true(i8x16.eq(v128.load(x + i), v128.load(y + i)))) return false;
  return i8x16.all_true(i8x16.eq(v128.load(x + n - 16), v128.load(y + n - 16)));
}

/**
 * The slot of a key in a table of mask + 1 slots (a power of two): the top bits of its product with an
 * odd constant, which every bit of the key reaches. (Low bits alone would leave bytes 6 and 7 of a short
 * key out: ISO dates differing in their month's second digit then shared probe chains, at 50 ns a lookup.)
 */
function slotOf(a: u64, len: i32, mask: usize): usize {
  return <usize>(((a ^ (<u64>len)) * 0x9e3779b97f4a7c15) >> clz<u64>(<u64>mask));
}

/** Where the last ValueLookup.at that found nothing stopped: the empty slot the value would take. */
let lookupSlot: usize = 0;

/** The one probe of a set's table: setAdd, setHas and the tokenizer's loop (SetLookup.find) use it. */
class ValueLookup {
  /** The slot key of a value of 1 to 16 bytes: its bytes up to 8, else the second word folded in. */
  @inline static shortKey(s: usize, len: i32): u64 {
    const w = load<u64>(s);
    return len <= 8 ? w & lowBytes(len) : w ^ ((load<u64>(s, 8) & lowBytes(len - 8)) * 0x9e3779b97f4a7c15);
  }

  /**
   * The entry of the value [s, s + len) (slot key a) in the set of record r, or -1 (see lookupSlot).
   * inLoop, for the tokenizer's loop (SetLookup.find), finds only values with their notes (NOTED), of
   * 1 to 16 bytes, and leaves lookupSlot be. It is a constant at each call: inlined, the code for the
   * other case drops out, and the loop's stays as small as its own copy of this probe was.
   */
  @inline static at(r: usize, s: usize, len: i32, a: u64, inLoop: bool): i32 {
    const table = load<usize>(r, TABLE);
    const mask = load<usize>(r, MASK);
    let slot = slotOf(a, len, mask);
    for (;;) {
      const at = table + (slot << 4);
      const entry = load<u32>(at, 12);
      if (entry == 0) break;
      const lenWord = load<u32>(at, 8);
      if (load<u64>(at) == a && (inLoop ? lenWord == ((<u32>len) | NOTED) : (lenWord & ~NOTED) == <u32>len)) {
        if (len <= 8) return <i32>entry - 1;
        const kept = load<usize>(r, ARENA) + load<u32>(load<usize>(r, OFFSETS) + ((<usize>entry - 1) << 2));
        // up to 16 bytes (dates, cities, codes): two words; the arena keeps 8 bytes of slack at its end
        if (inLoop || len <= 16) {
          if (load<u64>(kept) == load<u64>(s) && ((load<u64>(kept, 8) ^ load<u64>(s, 8)) & lowBytes(len - 8)) == 0)
            return <i32>entry - 1;
        } else if (sameLong(kept, s, len)) return <i32>entry - 1;
      }
      slot = (slot + 1) & mask;
    }
    if (!inLoop) lookupSlot = slot;
    return -1;
  }
}

/**
 * Adds the bytes [s, s + len) to column col's set. Returns the entry of an equal value already there,
 * else -1; a new value's entry is in `inserted` (-1 when the set gave up instead).
 */
export function setAdd(col: i32, s: usize, len: i32): i32 {
  inserted = -1;
  const a = keyOf(s, len);
  const r = rec(col);
  const found = ValueLookup.at(r, s, len, a, false);
  if (found >= 0) return found;
  insert(r, col, s, len, a, lookupSlot);
  return -1;
}

/** 1 when column col's set holds the value [s, s + len) (noted or not), else 0 (or it gave up). */
export function setHas(col: i32, s: usize, len: i32): i32 {
  if (overflowed(col)) return 0;
  return ValueLookup.at(rec(col), s, len, keyOf(s, len), false) >= 0 ? 1 : 0;
}

/**
 * The entry of the value [s, s + len) (1 to 16 bytes) in column col's set, or -1 when it is not there
 * with its notes (or the set gave up). Looks only (setAdd inserts): the scanner's loop counts a value seen again
 * through this before the general path (field) would take it.
 */
export class SetLookup {
  /** Inlined where it is called: the tokenizer's loop, and its quoted fields. */
  @inline static find(col: i32, s: usize, len: i32): i32 {
    const r = rec(col);
    if (load<usize>(r, OVERFLOW) != 0) return -1;
    return ValueLookup.at(r, s, len, ValueLookup.shortKey(s, len), true);
  }
}

/**
 * The budget is spent: gives up every set holding at least an equal share of it (there is one, the
 * largest), then, while less than a quarter of the budget is free, those above half that share, and so
 * on. The columns most like high-cardinality ones go; the small sets stay exact. (Giving up only the
 * set that had a new value made many growing columns, a wide file of measurements, take turns filling
 * the budget again: ~5 times its worth of insertions for 100 such columns. Freeing a quarter at a time
 * bounds the passes over the columns.)
 */
function evictAboveShare(): void {
  let live = 0;
  for (let c = 0; c < ncols; c++) if (load<usize>(rec(c), OVERFLOW) == 0 && load<usize>(rec(c), SIZE) > 0) live++;
  let share = <usize>(budget / max(live, 1));
  const target = budgetUsed - (budget >> 2);
  for (;;) {
    for (let c = 0; c < ncols; c++) {
      const r = rec(c);
      if (load<usize>(r, OVERFLOW) == 0 && load<usize>(r, SIZE) >= max<usize>(share, 1)) giveUp(c);
    }
    if (budgetUsed <= target || share <= 1) return;
    share >>= 1;
  }
}

function insert(r: usize, col: i32, s: usize, len: i32, a: u64, slot: usize): void {
  if (budgetUsed >= budget) {
    evictAboveShare();
    if (load<usize>(r, OVERFLOW) != 0) return;
  }
  const size = load<usize>(r, SIZE);
  const used = load<usize>(r, ARENA_USED);
  if (size >= cap || used + <usize>len > ARENA_CAP) {
    giveUp(col);
    return;
  }
  const arenaSize = load<usize>(r, ARENA_SIZE);
  // 8 bytes stay free at the arena's end: setAdd reads a value of 9 to 16 bytes as two words
  if (used + <usize>len + 8 > arenaSize) {
    const bigger = max<usize>(arenaSize * 2, used + <usize>len + 8);
    const arena = allocBlock(bigger);
    memory.copy(arena, load<usize>(r, ARENA), used);
    release(load<usize>(r, ARENA), arenaSize);
    store<usize>(r, arena, ARENA);
    store<usize>(r, bigger, ARENA_SIZE);
  }
  memory.copy(load<usize>(r, ARENA) + used, s, len);
  if (size >= load<usize>(r, ROOM)) growEntries(r, size);
  store<u32>(load<usize>(r, OFFSETS) + (size << 2), <u32>used);
  store<u32>(load<usize>(r, LENGTHS) + (size << 2), <u32>len);
  store<usize>(r, used + <usize>len, ARENA_USED);
  store<usize>(r, size + 1, SIZE);
  inserted = <i32>size;
  budgetUsed++;
  const at = load<usize>(r, TABLE) + slot * SLOT;
  store<u64>(at, a);
  store<u32>(at, <u32>len, 8);
  store<u32>(at, <u32>size + 1, 12);
  insertedSlot = at;
  const mask = load<usize>(r, MASK);
  // At the cap the next new value gives the set up: growing the table for it would be wasted work.
  // Small tables (a wide file's columns) fill to 3/4, big ones to 1/2: probing a small table is cheap either way.
  const full = mask < 64 ? ((mask + 1) * 3) >> 2 : (mask + 1) >> 1;
  if (size + 1 >= full && size + 1 < cap) rehash(r, mask);
}

/** Flags the entry the last setAdd inserted as noted (SetLookup.find finds it from then on). */
export function markNoted(): void {
  store<u32>(insertedSlot, load<u32>(insertedSlot, 8) | NOTED, 8);
}

function grow(r: usize, part: usize, oldBytes: usize): void {
  const p = allocBlock(oldBytes * 2);
  memory.copy(p, load<usize>(r + part), oldBytes);
  release(load<usize>(r + part), oldBytes);
  store<usize>(r + part, p);
}

function growEntries(r: usize, n: usize): void {
  grow(r, OFFSETS, n * 4);
  grow(r, LENGTHS, n * 4);
  grow(r, COUNTS, n * 4);
  grow(r, INFO, n * 4 * INFO_WIDTH);
  store<usize>(r, n * 2, ROOM);
}

function rehash(r: usize, oldMask: usize): void {
  const old = load<usize>(r, TABLE);
  const mask = (oldMask + 1) * 2 - 1;
  const table = allocBlock((mask + 1) * SLOT);
  for (let i: usize = 0; i <= oldMask; i++) {
    const from = old + i * SLOT;
    if (load<u32>(from, 12) == 0) continue;
    let slot = slotOf(load<u64>(from), load<u32>(from, 8) & ~NOTED, mask);
    while (load<u32>(table + slot * SLOT, 12) != 0) slot = (slot + 1) & mask;
    memory.copy(table + slot * SLOT, from, SLOT);
    if (from == insertedSlot) insertedSlot = table + slot * SLOT;
  }
  release(old, (oldMask + 1) * SLOT);
  store<usize>(r, table, TABLE);
  store<usize>(r, mask, MASK);
}
