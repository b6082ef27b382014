// A bump allocator over the memory past the static data. Memory past `heapTop` is always zero (fresh
// pages, or cleared by resetHeap), so what alloc returns is zeroed.

/** Bytes readable (never written) past every allocation: set keys and digit runs load whole words. */
export const SLACK: usize = 32;

const heapStart: usize = (__heap_base + 15) & ~(<usize>15);
let heapTop: usize = heapStart;

export function alloc(size: usize): usize {
  const p = heapTop;
  const top = (p + size + SLACK + 15) & ~(<usize>15);
  const have = (<usize>memory.size()) << 16;
  if (top > have) {
    const pages = <i32>((top - have + 0xffff) >> 16);
    // grow by a quarter at least: each growth makes JavaScript renew its views of the memory
    if (memory.grow(max(pages, memory.size() >> 2)) < 0 && memory.grow(pages) < 0) unreachable();
  }
  heapTop = top;
  return p;
}

// Blocks given back (a set's table or arrays outgrown, a set given up), kept by exact size for the next
// block of that size: the sets of a file's columns grow through the same sizes one after another.
const FREE_SLOTS = 256;
let freeList: usize = 0; // FREE_SLOTS pairs [size, address]
let freeCount = 0;

/** A block of `size` bytes that may be given back with release(p, size). */
export function allocBlock(size: usize): usize {
  for (let i = freeCount - 1; i >= 0; i--) {
    const at = freeList + ((<usize>i) << 4);
    if (load<usize>(at) != size) continue;
    const p = load<usize>(at, 8);
    freeCount--;
    memory.copy(at, freeList + ((<usize>freeCount) << 4), 16);
    memory.fill(p, 0, size);
    return p;
  }
  return alloc(size);
}

/** Gives back a block from allocBlock (kept for reuse; forgotten when the list is full). */
export function release(p: usize, size: usize): void {
  if (freeCount == FREE_SLOTS) return;
  const at = freeList + ((<usize>freeCount) << 4);
  store<usize>(at, size);
  store<usize>(at, p, 8);
  freeCount++;
}

/** Gives everything back (a kernel instance serves one scan after another). */
export function resetHeap(): void {
  memory.fill(heapStart, 0, heapTop - heapStart);
  heapTop = heapStart;
  freeCount = 0;
  freeList = alloc(FREE_SLOTS * 16);
}
