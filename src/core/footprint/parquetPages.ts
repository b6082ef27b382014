/**
 * Reads a flat Parquet column page by page without building rows: a page's definition levels only
 * count its nulls, dictionary indexes only count how often each entry is used, and plain text values
 * are visited where they lie in the page. A statistic of a dictionary column is then taken once per
 * entry, and no object is made per value. (hyparquet's parquetRead boxed every value of an optional
 * column into an array, which made reading slower than pandas loading the file.) hyparquet still
 * parses the headers, decompresses, and decodes the rarer encodings.
 */
import type { AsyncBuffer, DecodedArray, FileMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { convert } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readRleBitPackedHybrid } from 'hyparquet/src/encoding.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { getMaxDefinitionLevel, getSchemaPath } from 'hyparquet/src/schema.js';
import { compressors } from 'hyparquet-compressors';

type ColumnDecoder = Parameters<typeof readDataPage>[2];
type PageHeader = ReturnType<typeof parquetHeader>;

/** Text values: UTF-8 bytes at [start, end) of `bytes`, seen `times` times. */
export type TextVisitor = (bytes: Uint8Array, start: number, end: number, times: number) => void;
export type NumberVisitor = (value: number | bigint, times: number) => void;
/** After the last page of a row group: its rows and how many of them were null. */
export type RowGroupVisitor = (rows: number, nulls: number) => void;

/** A dictionary page: text entries as byte ranges of the page, other types decoded. */
interface Dictionary {
  bytes: Uint8Array;
  starts: Int32Array;
  ends: Int32Array;
  values: DecodedArray | null;
  size: number;
}

/** A data page: its nulls, and its values in one of three shapes. */
interface Page {
  nulls: number;
  /** Dictionary indexes of the non-null values. */
  indexes: Int32Array | null;
  /** Plain text: `count` length-prefixed values from `offset` of `bytes`. */
  plainText: { bytes: Uint8Array; offset: number; count: number } | null;
  /** Anything else, decoded by hyparquet. */
  values: DecodedArray | null;
}

let scratch = new Int32Array(1024);
function scratchOf(n: number): Int32Array {
  if (scratch.length < n) scratch = new Int32Array(Math.max(n, scratch.length * 2));
  return scratch.subarray(0, n);
}

function bitWidth(value: number): number {
  return 32 - Math.clz32(value);
}

function readDictionary(body: Uint8Array, header: PageHeader, decoder: ColumnDecoder): Dictionary {
  const page = decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, compressors);
  const size = header.dictionary_page_header!.num_values;
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  if (decoder.type !== 'BYTE_ARRAY') {
    const plain = readPlain({ view, offset: 0 }, decoder.type, size, decoder.element.type_length);
    return { bytes: page, starts: new Int32Array(0), ends: new Int32Array(0), values: convert(plain, decoder), size };
  }
  const starts = new Int32Array(size);
  const ends = new Int32Array(size);
  let at = 0;
  for (let i = 0; i < size; i++) {
    const length = view.getUint32(at, true);
    starts[i] = at + 4;
    ends[i] = at = at + 4 + length;
  }
  return { bytes: page, starts, ends, values: null, size };
}

/** Decodes a data page (v1 or v2) into its null count and values. */
function readData(body: Uint8Array, header: PageHeader, decoder: ColumnDecoder, maxDef: number): Page {
  const v2 = header.data_page_header_v2;
  const encoding = v2 ? v2.encoding : header.data_page_header!.encoding;
  const count = v2 ? v2.num_values : header.data_page_header!.num_values;
  const indexed = encoding === 'PLAIN_DICTIONARY' || encoding === 'RLE_DICTIONARY';
  const plain = encoding === 'PLAIN' && decoder.type !== 'BOOLEAN' && decoder.type !== 'FIXED_LEN_BYTE_ARRAY';
  if (!indexed && !plain) {
    // the rarer encodings: hyparquet decodes them
    const values = v2
      ? readDataPageV2(body, header, decoder).dataPage
      : readDataPage(
          decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, compressors),
          header.data_page_header!,
          decoder,
        ).dataPage;
    return { nulls: count - values.length, indexes: null, plainText: null, values: convert(values, decoder) };
  }
  let page: Uint8Array;
  let nulls: number;
  let offset: number;
  if (v2) {
    // levels come first, uncompressed, and the header counts the nulls
    const levels = v2.repetition_levels_byte_length + v2.definition_levels_byte_length;
    const rest = body.subarray(levels);
    page =
      v2.is_compressed === false
        ? rest
        : decompressPage(rest, Number(header.uncompressed_page_size) - levels, decoder.codec, compressors);
    nulls = v2.num_nulls;
    offset = 0;
  } else {
    page = decompressPage(body, Number(header.uncompressed_page_size), decoder.codec, compressors);
    nulls = 0;
    offset = 0;
    if (maxDef > 0) {
      const reader = { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 };
      const levels = scratchOf(count);
      readRleBitPackedHybrid(reader, bitWidth(maxDef), levels);
      for (let i = 0; i < count; i++) if (levels[i] !== maxDef) nulls++;
      offset = reader.offset;
    }
  }
  const values = count - nulls;
  const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
  if (plain && decoder.type === 'BYTE_ARRAY') {
    return { nulls, indexes: null, plainText: { bytes: page, offset, count: values }, values: null };
  }
  if (plain) {
    const decoded = readPlain({ view, offset }, decoder.type, values, decoder.element.type_length);
    return { nulls, indexes: null, plainText: null, values: convert(decoded, decoder) };
  }
  const width = view.getUint8(offset);
  const indexes = scratchOf(values);
  if (width === 0) indexes.fill(0);
  else readRleBitPackedHybrid({ view, offset: offset + 1 }, width, indexes, page.byteLength - offset - 1);
  return { nulls, indexes, plainText: null, values: null };
}

/** Bytes of a column chunk held at a time (more when one page is bigger): memory stays bounded. */
const WINDOW_BYTES = 8 * 1024 * 1024;
/** Enough for any page header (its statistics hold at most a min and a max value). */
const HEADER_BYTES = 64 * 1024;

/** Reads a column chunk front to back through a window of the file. */
class ChunkWindow {
  private buffer = new ArrayBuffer(0);
  /** Chunk offset of the window's first byte. */
  private base = 0;
  /** Chunk offset of the next byte to read. */
  at = 0;

  constructor(
    private readonly file: AsyncBuffer,
    private readonly start: number,
    readonly total: number,
  ) {}

  /** Makes [at, at + n) (cut at the chunk's end) part of the window. */
  private async hold(n: number): Promise<void> {
    const end = Math.min(this.total, this.at + n);
    if (end <= this.base + this.buffer.byteLength) return;
    this.base = this.at;
    this.buffer = await this.file.slice(
      this.start + this.at,
      this.start + Math.min(this.total, this.at + Math.max(n, WINDOW_BYTES)),
    );
  }

  async header(): Promise<PageHeader> {
    await this.hold(HEADER_BYTES);
    const reader = { view: new DataView(this.buffer), offset: this.at - this.base };
    const header = parquetHeader(reader);
    this.at = this.base + reader.offset;
    return header;
  }

  async bytes(n: number): Promise<Uint8Array> {
    if (this.at + n > this.total) throw new Error('parquet page runs past its column chunk');
    await this.hold(n);
    const bytes = new Uint8Array(this.buffer, this.at - this.base, n);
    this.at += n;
    return bytes;
  }
}

/**
 * Which parts of a column to read: every row group whole, or (quick mode) the pages that start in the
 * first `prefixBytes` of some row groups' column chunks (and at least one data page of each).
 */
export interface PageSelection {
  groups: number[] | null;
  prefixBytes: number | null;
}

export const WHOLE_COLUMN: PageSelection = { groups: null, prefixBytes: null };

/**
 * Visits the pages of leaf column `leaf` (its index among the leaves), row group by row group.
 * `stop` is asked between row groups (cancellation).
 */
async function visitPages(
  file: AsyncBuffer,
  metadata: FileMetaData,
  leaf: number,
  selection: PageSelection,
  onDictionary: (dictionary: Dictionary) => void,
  onPage: (page: Page, count: number) => void,
  onRowGroup: RowGroupVisitor,
  stop: () => boolean,
): Promise<void> {
  // the column's place in the schema is the same in every row group; only the codec may differ
  const path = metadata.row_groups.find((rg) => rg.columns[leaf]?.meta_data)?.columns[leaf].meta_data!.path_in_schema;
  if (!path) return;
  const schemaPath = getSchemaPath(metadata.schema, path);
  if (schemaPath.length !== 2) throw new Error(`parquet column ${path.join('.')} is nested`);
  const maxDef = getMaxDefinitionLevel(schemaPath);
  for (const g of selection.groups ?? metadata.row_groups.keys()) {
    if (stop()) return;
    const meta = metadata.row_groups[g]?.columns[leaf]?.meta_data;
    if (!meta) continue;
    const decoder: ColumnDecoder = {
      pathInSchema: path,
      type: meta.type,
      element: schemaPath[1].element,
      schemaPath,
      codec: meta.codec,
      parsers: {} as ColumnDecoder['parsers'],
      compressors,
      utf8: false,
    };
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const chunk = new ChunkWindow(file, start, Number(meta.total_compressed_size));
    // a sample takes the pages that start before its end, and at least one data page
    const sampleEnd = selection.prefixBytes ?? chunk.total;
    const wanted = Number(meta.num_values);
    let seen = 0;
    let nulls = 0;
    while (seen < wanted) {
      const at = chunk.at;
      if (at >= chunk.total || (at >= sampleEnd && seen > 0)) break;
      const header = await chunk.header();
      const body = await chunk.bytes(header.compressed_page_size);
      if (header.type === 'DICTIONARY_PAGE') onDictionary(readDictionary(body, header, decoder));
      else if (header.type === 'DATA_PAGE' || header.type === 'DATA_PAGE_V2') {
        const page = readData(body, header, decoder, maxDef);
        const count = header.data_page_header_v2?.num_values ?? header.data_page_header!.num_values;
        seen += count;
        nulls += page.nulls;
        onPage(page, count);
      }
    }
    onRowGroup(seen, nulls);
  }
}

/**
 * Counts dictionary entries as pages use them, and hands each used entry over once with its count,
 * in the order rows first use them (so that first-seen order, which pandas' categories depend on, is
 * kept). Entries are handed over before a plain page (a writer falls back to plain pages when its
 * dictionary grows too big) and at the end of each row group.
 */
class EntryCounter {
  private counts = new Uint32Array(0);
  private order: number[] = [];
  private dictionary: Dictionary | null = null;

  constructor(private readonly onEntry: (dictionary: Dictionary, entry: number, times: number) => void) {}

  use(dictionary: Dictionary): void {
    this.flush();
    this.dictionary = dictionary;
    this.counts = new Uint32Array(dictionary.size);
  }

  count(indexes: Int32Array): void {
    if (this.dictionary === null) throw new Error('parquet dictionary page missing');
    const counts = this.counts;
    for (let i = 0; i < indexes.length; i++) {
      const k = indexes[i];
      if (k >= counts.length) throw new Error('parquet dictionary index out of range');
      if (counts[k]++ === 0) this.order.push(k);
    }
  }

  flush(): void {
    for (const k of this.order) this.onEntry(this.dictionary!, k, this.counts[k]);
    for (const k of this.order) this.counts[k] = 0;
    this.order = [];
  }
}

/**
 * Visits a text (BYTE_ARRAY) column's non-null values. With `onPageEnd`, each page's values are all
 * visited before it is called (a quick scan's pages are its sampling units).
 */
export async function visitTextValues(
  file: AsyncBuffer,
  metadata: FileMetaData,
  leaf: number,
  selection: PageSelection,
  onText: TextVisitor,
  onRowGroup: RowGroupVisitor,
  onPageEnd: ((rows: number, nulls: number) => void) | null,
  stop: () => boolean = () => false,
): Promise<void> {
  const entries = new EntryCounter((d, k, times) => onText(d.bytes, d.starts[k], d.ends[k], times));
  const onPage = (page: Page, count: number) => {
    if (page.indexes) entries.count(page.indexes);
    else {
      entries.flush();
      if (page.plainText) {
        const { bytes, count: values } = page.plainText;
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        let at = page.plainText.offset;
        for (let i = 0; i < values; i++) {
          const end = at + 4 + view.getUint32(at, true);
          if (end > bytes.length) throw new Error('parquet text value runs past its page');
          onText(bytes, at + 4, end, 1);
          at = end;
        }
      } else {
        for (const v of page.values as Uint8Array[]) onText(v, 0, v.length, 1);
      }
    }
    if (onPageEnd) {
      entries.flush();
      onPageEnd(count, page.nulls);
    }
  };
  const endGroup = (rows: number, nulls: number) => {
    entries.flush();
    onRowGroup(rows, nulls);
  };
  await visitPages(file, metadata, leaf, selection, (d) => entries.use(d), onPage, endGroup, stop);
}

/** Visits a number column's non-null values (unsigned logical types read as such). */
export async function visitNumberValues(
  file: AsyncBuffer,
  metadata: FileMetaData,
  leaf: number,
  onNumber: NumberVisitor,
  stop: () => boolean = () => false,
  selection: PageSelection = WHOLE_COLUMN,
): Promise<void> {
  const entries = new EntryCounter((d, k, times) => onNumber(d.values![k] as number | bigint, times));
  const onPage = (page: Page) => {
    if (page.indexes) return entries.count(page.indexes);
    entries.flush();
    const values = page.values!;
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      // As halves: no BigInt made per value. hi * 2^32 is exact, so the one rounding of the sum gives
      // what Number(bigint) gives.
      const lo = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
      const hi = values instanceof BigInt64Array ? new Int32Array(lo.buffer, lo.byteOffset, lo.length) : lo;
      for (let i = 0; i < values.length; i++) onNumber(hi[2 * i + 1] * 4294967296 + lo[2 * i], 1);
    } else {
      for (let i = 0; i < values.length; i++) onNumber(values[i] as number | bigint, 1);
    }
  };
  await visitPages(
    file,
    metadata,
    leaf,
    selection,
    (d) => entries.use(d),
    onPage,
    () => entries.flush(),
    stop,
  );
}
