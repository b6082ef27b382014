/**
 * Distinct values of one column, keyed by their bytes, without building a string per field.
 * Open addressing over an arena; stops growing at `cap` entries (then the column is high-cardinality).
 * The slot table interleaves each slot's hash with its entry number, so a probe touches one cache line.
 */
export class ByteSet {
  /** Per slot: [hash, entry + 1]; entry 0 marks an empty slot. */
  private table: Int32Array;
  private mask: number;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private arena: Buffer;
  private arenaUsed = 0;
  size = 0;
  overflow = false;

  constructor(
    private readonly cap: number,
    /** Entries of all the sets of one scan together: a wide file must not hold 65,536 values per column. */
    private readonly budget: { entries: number; limit: number } = { entries: 0, limit: Infinity },
    private readonly arenaCap = 16 * 1024 * 1024,
  ) {
    this.table = new Int32Array(2 * 256);
    this.mask = 255;
    this.offsets = new Int32Array(128);
    this.lengths = new Int32Array(128);
    this.arena = Buffer.allocUnsafe(4096);
  }

  /** Adds the bytes buf[s, e) with their precomputed hash. */
  add(buf: Uint8Array, s: number, e: number, hash: number): void {
    if (this.overflow) return;
    const len = e - s;
    const table = this.table;
    const mask = this.mask;
    let slot = hash & mask;
    for (;;) {
      const entry = table[2 * slot + 1];
      if (entry === 0) break;
      if (table[2 * slot] === hash && this.lengths[entry - 1] === len) {
        const arena = this.arena;
        const off = this.offsets[entry - 1];
        let i = 0;
        while (i < len && arena[off + i] === buf[s + i]) i++;
        if (i === len) return;
      }
      slot = (slot + 1) & mask;
    }
    this.insert(buf, s, len, hash, slot);
  }

  private insert(buf: Uint8Array, s: number, len: number, hash: number, slot: number): void {
    if (this.size >= this.cap || this.arenaUsed + len > this.arenaCap || this.budget.entries >= this.budget.limit) {
      this.release();
      return;
    }
    if (this.arenaUsed + len > this.arena.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.arenaUsed + len));
      this.arena.copy(bigger, 0, 0, this.arenaUsed);
      this.arena = bigger;
    }
    for (let i = 0; i < len; i++) this.arena[this.arenaUsed + i] = buf[s + i];
    const idx = this.size++;
    this.budget.entries++;
    if (idx >= this.offsets.length) this.growEntries();
    this.offsets[idx] = this.arenaUsed;
    this.lengths[idx] = len;
    this.arenaUsed += len;
    this.table[2 * slot] = hash;
    this.table[2 * slot + 1] = idx + 1;
    if (this.size * 2 > this.mask) this.rehash();
  }

  /** The values in first-seen order, decoded with `decode`. */
  values(decode: (bytes: Buffer) => string): string[] {
    const out: string[] = new Array(this.size);
    for (let i = 0; i < this.size; i++)
      out[i] = decode(this.arena.subarray(this.offsets[i], this.offsets[i] + this.lengths[i]));
    return out;
  }

  private release(): void {
    this.overflow = true;
    this.budget.entries -= this.size;
    this.table = new Int32Array(0);
    this.offsets = this.lengths = new Int32Array(0);
    this.arena = Buffer.alloc(0);
  }

  private growEntries(): void {
    const n = this.offsets.length * 2;
    const grow = (a: Int32Array) => {
      const b = new Int32Array(n);
      b.set(a);
      return b;
    };
    this.offsets = grow(this.offsets);
    this.lengths = grow(this.lengths);
  }

  private rehash(): void {
    const old = this.table;
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(2 * size);
    const mask = size - 1;
    for (let s = 0; s < old.length; s += 2) {
      const entry = old[s + 1];
      if (entry === 0) continue;
      let slot = old[s] & mask;
      while (table[2 * slot + 1] !== 0) slot = (slot + 1) & mask;
      table[2 * slot] = old[s];
      table[2 * slot + 1] = entry;
    }
    this.table = table;
    this.mask = mask;
  }
}
