/**
 * Distinct values of one column, keyed by their bytes, without building a string per field.
 * Open addressing over an arena; stops growing at `cap` entries (then the column is high-cardinality).
 * A slot is [a, b, length, entry + 1], so a probe touches one cache line. Values of up to 8 bytes (most
 * categorical fields) are their own key: a and b hold the bytes, so neither a per-byte hash nor a
 * comparison with the arena is needed. Values up to 16 bytes fold their words into the key and compare
 * arena words; longer ones key on an FNV-1a hash and compare arena bytes.
 */
export const INFO_WIDTH = 4;

/** Masks keeping the low n bytes of a 32-bit word. */
const LOW_BYTES = new Int32Array([0, 0xff, 0xffff, 0xffffff, -1]);

/** murmur3's finalizer over the key: raw bytes and FNV both cluster in the low bits the table uses. */
function mix(a: number, b: number, len: number): number {
  let h = a ^ Math.imul(b ^ len, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The n (<= 4) bytes at buf[i] as a little-endian word. */
function wordAt(buf: Uint8Array, i: number, n: number): number {
  let w = 0;
  for (let k = n - 1; k >= 0; k--) w = (w << 8) | buf[i + k];
  return w;
}

export class ByteSet {
  /** Per slot: [a, b, length, entry + 1]; entry 0 marks an empty slot. */
  private table: Int32Array;
  private mask: number;
  private offsets: Int32Array;
  private lengths: Int32Array;
  /** Each entry's slot hash, so that a rehash needs no key bytes. */
  private hashes: Int32Array;
  private arena: Buffer;
  private arenaUsed = 0;
  private arenaView: DataView<ArrayBufferLike>;
  size = 0;
  overflow = false;
  /** Entry of the value the last add() inserted, -1 if it inserted none. */
  inserted = -1;
  /**
   * INFO_WIDTH numbers per entry that the scanner keeps about the value (its classification), so a
   * value seen again is counted without being classified again.
   */
  info: Int32Array;
  /** A DataView of the last buffer seen, for word loads. */
  private viewOf: Uint8Array | null = null;
  private view: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(8));

  constructor(
    private readonly cap: number,
    /** Entries of all the sets of one scan together: a wide file must not hold 65,536 values per column. */
    private readonly budget: { entries: number; limit: number } = { entries: 0, limit: Infinity },
    private readonly arenaCap = 16 * 1024 * 1024,
  ) {
    this.table = new Int32Array(4 * 256);
    this.mask = 255;
    this.offsets = new Int32Array(128);
    this.lengths = new Int32Array(128);
    this.hashes = new Int32Array(128);
    this.info = new Int32Array(128 * INFO_WIDTH);
    this.arena = Buffer.alloc(4096);
    this.arenaView = new DataView(this.arena.buffer, this.arena.byteOffset, this.arena.byteLength);
  }

  /**
   * Adds the bytes buf[s, e). Returns the entry of an equal value already in the set, else -1; a new
   * value's entry is in `inserted` (-1 when the set overflowed instead).
   */
  add(buf: Uint8Array, s: number, e: number): number {
    this.inserted = -1;
    if (this.overflow) return -1;
    const len = e - s;
    // The common case kept small enough to be inlined into the scanner's loop.
    if (len > 8 || s + 8 > buf.length) return this.addBytes(buf, s, e);
    if (buf !== this.viewOf) this.viewFor(buf);
    // two little-endian word loads, masked to the value's bytes (a DataView load compiles to one load)
    const view = this.view;
    let a: number;
    let b = 0;
    if (len <= 4) a = view.getInt32(s, true) & LOW_BYTES[len];
    else {
      a = view.getInt32(s, true);
      b = view.getInt32(s + 4, true) & LOW_BYTES[len - 4];
    }
    const h = mix(a, b, len);
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const at = 4 * slot;
      const entry = table[at + 3];
      if (entry === 0) break;
      if (table[at] === a && table[at + 1] === b && table[at + 2] === len) return entry - 1;
      slot = (slot + 1) & mask;
    }
    this.insert(buf, s, len, a, b, h, slot);
    return -1;
  }

  /**
   * Values of 9 to 16 bytes (dates, short names): keyed on their four words folded into two, checked
   * against the arena word by word.
   */
  private addWords(buf: Uint8Array, s: number, e: number): number {
    const len = e - s;
    const rest = len - 8;
    let w0: number;
    let w1: number;
    let w2: number;
    let w3 = 0;
    if (s + 16 <= buf.length) {
      const view = this.viewOf === buf ? this.view : this.viewFor(buf);
      w0 = view.getInt32(s, true);
      w1 = view.getInt32(s + 4, true);
      w2 = view.getInt32(s + 8, true) & LOW_BYTES[rest < 4 ? rest : 4];
      if (rest > 4) w3 = view.getInt32(s + 12, true) & LOW_BYTES[rest - 4];
    } else {
      // near the end of the buffer: the same words, a byte at a time
      w0 = wordAt(buf, s, 4);
      w1 = wordAt(buf, s + 4, 4);
      w2 = wordAt(buf, s + 8, rest < 4 ? rest : 4);
      if (rest > 4) w3 = wordAt(buf, s + 12, rest - 4);
    }
    const a = w0 ^ Math.imul(w2, 0x9e3779b1);
    const b = w1 ^ Math.imul(w3 ^ 0x5bd1e995, 0x85ebca6b);
    const h = mix(a, b, len);
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const at = 4 * slot;
      const entry = table[at + 3];
      if (entry === 0) break;
      if (table[at] === a && table[at + 1] === b && table[at + 2] === len) {
        const arena = this.arenaView;
        const off = this.offsets[entry - 1];
        if (
          arena.getInt32(off, true) === w0 &&
          arena.getInt32(off + 4, true) === w1 &&
          (arena.getInt32(off + 8, true) & LOW_BYTES[rest < 4 ? rest : 4]) === w2 &&
          (rest <= 4 || (arena.getInt32(off + 12, true) & LOW_BYTES[rest - 4]) === w3)
        )
          return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
    this.insert(buf, s, len, a, b, h, slot);
    return -1;
  }

  private viewFor(buf: Uint8Array): DataView<ArrayBufferLike> {
    this.viewOf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    return this.view;
  }

  /** add() for values longer than 16 bytes (keyed on an FNV-1a hash) or near the end of `buf`. */
  private addBytes(buf: Uint8Array, s: number, e: number): number {
    const len = e - s;
    if (len <= 16 && len > 8) return this.addWords(buf, s, e);
    let a = 0;
    let b = 0;
    if (len <= 8) {
      for (let i = e - 1; i >= s + 4; i--) b = (b << 8) | buf[i];
      for (let i = Math.min(e, s + 4) - 1; i >= s; i--) a = (a << 8) | buf[i];
    } else {
      a = 0x811c9dc5;
      for (let i = s; i < e; i++) a = Math.imul(a ^ buf[i], 16777619);
      b = Math.imul(buf[e - 1], 0x9e3779b1);
    }
    const h = mix(a, b, len);
    const table = this.table;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const at = 4 * slot;
      const entry = table[at + 3];
      if (entry === 0) break;
      if (table[at] === a && table[at + 1] === b && table[at + 2] === len) {
        if (len <= 8) return entry - 1;
        const arena = this.arena;
        const off = this.offsets[entry - 1];
        let i = 0;
        while (i < len && arena[off + i] === buf[s + i]) i++;
        if (i === len) return entry - 1;
      }
      slot = (slot + 1) & mask;
    }
    this.insert(buf, s, len, a, b, h, slot);
    return -1;
  }

  private insert(buf: Uint8Array, s: number, len: number, a: number, b: number, hash: number, slot: number): void {
    if (this.size >= this.cap || this.arenaUsed + len > this.arenaCap || this.budget.entries >= this.budget.limit) {
      this.release();
      return;
    }
    // 16 bytes of slack: addWords reads whole words past a value's end
    if (this.arenaUsed + len + 16 > this.arena.length) {
      const bigger = Buffer.alloc(Math.max(this.arena.length * 2, this.arenaUsed + len + 16));
      this.arena.copy(bigger, 0, 0, this.arenaUsed);
      this.arena = bigger;
      this.arenaView = new DataView(bigger.buffer, bigger.byteOffset, bigger.byteLength);
    }
    for (let i = 0; i < len; i++) this.arena[this.arenaUsed + i] = buf[s + i];
    const idx = this.size++;
    this.inserted = idx;
    this.budget.entries++;
    if (idx >= this.offsets.length) this.growEntries();
    this.offsets[idx] = this.arenaUsed;
    this.lengths[idx] = len;
    this.arenaUsed += len;
    const at = 4 * slot;
    this.table[at] = a;
    this.table[at + 1] = b;
    this.table[at + 2] = len;
    this.table[at + 3] = idx + 1;
    this.hashes[idx] = hash;
    // At the cap the next new value releases the set: growing the table for it would be wasted work.
    if (this.size * 2 > this.mask && this.size < this.cap) this.rehash();
  }

  /** The values in first-seen order, decoded with `decode`. */
  values(decode: (bytes: Buffer) => string): string[] {
    const out: string[] = new Array(this.size);
    for (let i = 0; i < this.size; i++)
      out[i] = decode(this.arena.subarray(this.offsets[i], this.offsets[i] + this.lengths[i]));
    return out;
  }

  /** Stops tracking: the column is known to be high-cardinality. */
  giveUp(): void {
    if (!this.overflow) this.release();
  }

  private release(): void {
    this.overflow = true;
    this.budget.entries -= this.size;
    this.table = new Int32Array(0);
    this.offsets = this.lengths = this.hashes = this.info = new Int32Array(0);
    this.arena = Buffer.alloc(0);
    this.arenaView = new DataView(new ArrayBuffer(0));
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
    this.hashes = grow(this.hashes);
    const info = new Int32Array(n * INFO_WIDTH);
    info.set(this.info);
    this.info = info;
  }

  private rehash(): void {
    const old = this.table;
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(4 * size);
    const mask = size - 1;
    for (let at = 0; at < old.length; at += 4) {
      const entry = old[at + 3];
      if (entry === 0) continue;
      let slot = this.hashes[entry - 1] & mask;
      while (table[4 * slot + 3] !== 0) slot = (slot + 1) & mask;
      const to = 4 * slot;
      table[to] = old[at];
      table[to + 1] = old[at + 1];
      table[to + 2] = old[at + 2];
      table[to + 3] = entry;
    }
    this.table = table;
    this.mask = mask;
  }
}
