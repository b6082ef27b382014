/**
 * Reads a flat Parquet column page by page with hyparquet's page decoders but without its row
 * assembly: each page comes as its non-null values (as decoded, or as indexes into the column chunk's
 * dictionary) and its null count. No per-row array is built, so a statistic of a dictionary column can
 * be taken once per dictionary entry and counted per index; parquetRead boxed every value of an
 * optional column into a JavaScript array, which made reading slower than pandas loading the file.
 */
import type { AsyncBuffer, DecodedArray, FileMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { convert } from 'hyparquet/src/convert.js';
import { decompressPage, readDataPage, readDataPageV2 } from 'hyparquet/src/datapage.js';
import { readPlain } from 'hyparquet/src/plain.js';
import { getSchemaPath } from 'hyparquet/src/schema.js';
import { compressors } from 'hyparquet-compressors';

type ColumnDecoder = Parameters<typeof readDataPage>[2];

export interface ColumnPage {
  /** The page's non-null values; indexes into `dictionary` when it is not null. */
  values: DecodedArray;
  dictionary: DecodedArray | null;
  nulls: number;
}

export interface PageVisitor {
  page(page: ColumnPage): void;
  /** After the last page of a row group: its rows and how many of them were null. */
  rowGroupEnd?(rows: number, nulls: number): void;
}

/**
 * Visits every page of leaf column `leaf` (its index among the leaves), row group by row group. Text
 * values come as their UTF-8 bytes; numbers as typed arrays (unsigned logical types read as such).
 * `stop` is asked between row groups (cancellation).
 */
export async function visitColumnPages(
  file: AsyncBuffer,
  metadata: FileMetaData,
  leaf: number,
  visitor: PageVisitor,
  stop: () => boolean = () => false,
): Promise<void> {
  for (const rowGroup of metadata.row_groups) {
    if (stop()) return;
    const meta = rowGroup.columns[leaf]?.meta_data;
    if (!meta) continue;
    const decoder: ColumnDecoder = {
      pathInSchema: meta.path_in_schema,
      type: meta.type,
      element: getSchemaPath(metadata.schema, meta.path_in_schema).at(-1)!.element,
      schemaPath: getSchemaPath(metadata.schema, meta.path_in_schema),
      codec: meta.codec,
      parsers: {} as ColumnDecoder['parsers'],
      compressors,
      utf8: false,
    };
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const bytes = await file.slice(start, start + Number(meta.total_compressed_size));
    const reader = { view: new DataView(bytes), offset: 0 };
    const text = meta.type === 'BYTE_ARRAY' || meta.type === 'FIXED_LEN_BYTE_ARRAY';
    const wanted = Number(meta.num_values);
    let dictionary: DecodedArray | null = null;
    let seen = 0;
    let nulls = 0;
    while (seen < wanted && reader.offset < bytes.byteLength) {
      const header = parquetHeader(reader);
      const body = new Uint8Array(bytes, reader.offset, header.compressed_page_size);
      reader.offset += header.compressed_page_size;
      if (header.type === 'DICTIONARY_PAGE') {
        const page = decompressPage(body, Number(header.uncompressed_page_size), meta.codec, compressors);
        const plain = readPlain(
          { view: new DataView(page.buffer, page.byteOffset, page.byteLength), offset: 0 },
          meta.type,
          header.dictionary_page_header!.num_values,
          decoder.element.type_length,
        );
        dictionary = text ? plain : convert(plain, decoder);
        continue;
      }
      let count: number;
      let data: DecodedArray;
      let encoding: string;
      if (header.type === 'DATA_PAGE') {
        const h = header.data_page_header!;
        const page = decompressPage(body, Number(header.uncompressed_page_size), meta.codec, compressors);
        data = readDataPage(page, h, decoder).dataPage;
        count = h.num_values;
        encoding = h.encoding;
      } else if (header.type === 'DATA_PAGE_V2') {
        const h = header.data_page_header_v2!;
        data = readDataPageV2(body, header, decoder).dataPage;
        count = h.num_values;
        encoding = h.encoding;
      } else continue; // an index page
      const indexed = encoding.endsWith('_DICTIONARY');
      if (indexed && dictionary === null) throw new Error('parquet dictionary page missing');
      const pageNulls = count - data.length;
      seen += count;
      nulls += pageNulls;
      visitor.page({
        values: indexed || text ? data : convert(data, decoder),
        dictionary: indexed ? dictionary : null,
        nulls: pageNulls,
      });
    }
    visitor.rowGroupEnd?.(seen, nulls);
  }
}

/**
 * Calls `onValue(value, times)` for the non-null values of a column: a plain page's values one by one,
 * a dictionary's entries once each with how many rows use them, in the order rows first use them (so
 * that first-seen order, which pandas' categories depend on, is kept).
 */
export async function visitColumnValues<T>(
  file: AsyncBuffer,
  metadata: FileMetaData,
  leaf: number,
  onValue: (value: T, times: number) => void,
  onRowGroup?: (rows: number, nulls: number) => void,
  stop?: () => boolean,
): Promise<void> {
  let dictionary: ArrayLike<T> | null = null;
  let counts = new Uint32Array(0);
  let order: number[] = [];
  const flush = () => {
    for (const i of order) onValue(dictionary![i], counts[i]);
    for (const i of order) counts[i] = 0;
    order = [];
  };
  await visitColumnPages(
    file,
    metadata,
    leaf,
    {
      page({ values, dictionary: dict }) {
        if (dict === null) {
          flush();
          const plain = values as ArrayLike<T>;
          for (let i = 0; i < plain.length; i++) onValue(plain[i], 1);
          return;
        }
        if (dict !== dictionary) {
          flush();
          dictionary = dict as ArrayLike<T>;
          counts = new Uint32Array(dict.length);
        }
        const indexes = values as ArrayLike<number>;
        for (let i = 0; i < indexes.length; i++) {
          const k = indexes[i];
          if (counts[k]++ === 0) order.push(k);
        }
      },
      rowGroupEnd(rows, nulls) {
        flush();
        onRowGroup?.(rows, nulls);
      },
    },
    stop,
  );
}
