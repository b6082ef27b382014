// A bump allocator over the memory past the static data. Memory past `heapTop` is always zero (fresh
// pages, or cleared by resetHeap), so what alloc returns is zeroed.

/** Bytes readable (never written) past every allocation: set keys and digit runs load whole words. */
export const SLACK: usize = 32;

const heapStart: usize = (__heap_base + 15) & ~(<usize>15);
let heapTop: usize = heapStart;

export function alloc(size: usize): usize {
  const p = heapTop;
  const top = (p + size + 15) & ~(<usize>15);
  const have = (<usize>memory.size()) << 16;
  // The slack is needed past the last allocation only (reads into a neighbour are masked off): a wide
  // file's columns hold seven allocations each.
  if (top + SLACK > have) {
    const pages = <i32>((top + SLACK - have + 0xffff) >> 16);
    // grow by a quarter at least: each growth makes JavaScript renew its views of the memory
    if (memory.grow(max(pages, memory.size() >> 2)) < 0 && memory.grow(pages) < 0) unreachable();
  }
  heapTop = top;
  return p;
}

// Blocks given back (a set's table or arrays outgrown, a set given up), kept by exact size for the next
// block of that size: the sets of a file's columns grow through the same sizes one after another, and
// a wide file's sets that give up feed the ones still growing. One list per size, linked through the
// blocks themselves (every block is at least 8 bytes), so that none is forgotten.
const FREE_SIZES = 64;
let freeList: usize = 0; // FREE_SIZES pairs [size, first block]
let freeSizes = 0;

function freeHead(size: usize): usize {
  for (let i = 0; i < freeSizes; i++) {
    const at = freeList + ((<usize>i) << 4);
    if (load<usize>(at) == size) return at;
  }
  if (freeSizes == FREE_SIZES) return 0;
  const at = freeList + ((<usize>freeSizes) << 4);
  freeSizes++;
  store<usize>(at, size);
  return at;
}

/** A block of `size` bytes that may be given back with release(p, size). */
export function allocBlock(size: usize): usize {
  const head = freeHead(size);
  if (head != 0) {
    const p = load<usize>(head, 8);
    if (p != 0) {
      store<usize>(head, load<usize>(p), 8);
      memory.fill(p, 0, size);
      return p;
    }
  }
  return alloc(size);
}

/** Gives back a block from allocBlock (kept for reuse; forgotten only past FREE_SIZES sizes). */
export function release(p: usize, size: usize): void {
  if (size < 8) return;
  const head = freeHead(size);
  if (head == 0) return;
  store<usize>(p, load<usize>(head, 8));
  store<usize>(head, p, 8);
}

/** Gives everything back (a kernel instance serves one scan after another). */
export function resetHeap(): void {
  memory.fill(heapStart, 0, heapTop - heapStart);
  heapTop = heapStart;
  freeSizes = 0;
  freeList = alloc(FREE_SIZES * 16);
}
