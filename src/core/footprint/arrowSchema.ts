/**
 * Which top-level columns of a Parquet file pyarrow reads as dictionaries (pandas `category`): the
 * `ARROW:schema` metadata pyarrow writes is a serialized IPC Schema message (a flatbuffer); a Field
 * with a `dictionary` entry is dictionary-encoded. Only what that question needs is parsed here.
 */

class Flat {
  constructor(private readonly b: Buffer) {}
  u32(at: number): number {
    return this.b.readUInt32LE(at);
  }
  /** Absolute position of field `index` of the table at `t`, or 0 when absent. */
  field(t: number, index: number): number {
    const vt = t - this.b.readInt32LE(t);
    const vtSize = this.b.readUInt16LE(vt);
    if (4 + 2 * index >= vtSize) return 0;
    const off = this.b.readUInt16LE(vt + 4 + 2 * index);
    return off === 0 ? 0 : t + off;
  }
  /** Follows an offset (table, string or vector) stored at `at`. */
  deref(at: number): number {
    return at + this.u32(at);
  }
  string(at: number): string {
    const s = this.deref(at);
    return this.b.toString('utf8', s + 4, s + 4 + this.u32(s));
  }
}

/** Names of the dictionary-encoded top-level fields; empty when the metadata cannot be read. */
export function dictionaryFields(base64: string | undefined): Set<string> {
  const out = new Set<string>();
  if (!base64) return out;
  try {
    let b = Buffer.from(base64, 'base64');
    // IPC framing: optional 0xFFFFFFFF continuation marker, then the message length
    if (b.readUInt32LE(0) === 0xffffffff) b = b.subarray(8);
    else b = b.subarray(4);
    const f = new Flat(b);
    const message = f.deref(0);
    const headerAt = f.field(message, 2);
    if (!headerAt) return out;
    const schema = f.deref(headerAt);
    const fieldsAt = f.field(schema, 1);
    if (!fieldsAt) return out;
    const vec = f.deref(fieldsAt);
    const n = f.u32(vec);
    for (let i = 0; i < n; i++) {
      const slot = vec + 4 + 4 * i;
      const field = f.deref(slot);
      const nameAt = f.field(field, 0);
      if (nameAt && f.field(field, 4)) out.add(f.string(nameAt));
    }
  } catch {
    out.clear();
  }
  return out;
}
