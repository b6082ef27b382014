/**
 * Everything an exact or quick CSV/TSV scan needs to know before it starts: separator, encoding,
 * compression, header, implicit index column, pandas' low_memory block size.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parseHeader, type HeaderInfo } from './csvHeader';
import type { DetectedFormat } from './detect';
import { readHead } from './detect';
import { DISTINCT_CAP } from './distinct';
import { K } from './fieldStats';
import { naSpellings } from './fieldClassify';
import { versionAtLeast } from './pandasSizes';
import { MAX_RECORD_BYTES } from './rangeScan';
import { gzipReadError, utf16Bom, utf16Error } from './fileErrors';
import { byteEncodingOf, measureText, width, type ByteEncoding } from './textWidth';
import { FootprintError, type PandasModel, type ReadOptions } from './types';
import type { FootprintScanSettings } from './workerProtocol';

export interface CsvPlan {
  path: string;
  compression: 'gzip' | null;
  delimiter: number;
  encoding: ByteEncoding;
  header: HeaderInfo;
  /** Leading fields of each data row that the header does not name: pandas makes them the index. */
  indexCols: number;
  ncols: number;
  /** pandas' low_memory block: buffer_lines of the C parser. */
  blockRows: number;
  microRows: number;
  fileBytes: number;
  naSpellings: string[];
  /** pandas < 3 keeps a float outside float64's range as text. */
  outOfRangeIsText: boolean;
  warnings: string[];
}

/** TextReader.buffer_lines: the largest power of two below 2^20 / ncols (halved once more). */
export function lowMemoryBlockRows(ncols: number): number {
  const heuristic = Math.floor(2 ** 20 / Math.max(1, ncols));
  let lines = 1;
  while (lines * 2 < heuristic) lines *= 2;
  return lines;
}

async function gunzipHead(path: string, bytes: number): Promise<{ buf: Buffer; eof: boolean }> {
  const parts: Buffer[] = [];
  let have = 0;
  const file = createReadStream(path);
  const gunzip = createGunzip();
  file.pipe(gunzip);
  let eof = true;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      parts.push(chunk);
      have += chunk.length;
      if (have >= bytes) {
        eof = false;
        break;
      }
    }
  } catch (error) {
    throw gzipReadError(error);
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  return { buf: Buffer.concat(parts), eof };
}

/**
 * A binary file: NUL bytes in the first 8 KB and bytes there that do not decode. (pandas reads NULs
 * in text, ending a field's value at each: only the decoding error stops it.) Returns the offset of
 * the first byte that does not decode, or -1.
 */
function binaryAt(head: Buffer, encoding: ByteEncoding): number {
  let n = Math.min(head.length, 8192);
  if (head.subarray(0, n).indexOf(0) < 0) return -1;
  // end at an ASCII byte, so that a character cut by the 8 KB limit is not taken for a bad one
  if (n < head.length) while (n > 0 && head[n - 1] >= 0x80) n--;
  return measureText(head, 0, n, encoding) ? -1 : width.badOffset;
}

export async function planCsv(
  path: string,
  det: DetectedFormat,
  model: PandasModel,
  read: ReadOptions = {},
): Promise<CsvPlan> {
  const warnings: string[] = [];
  let sep = read.sep ?? (det.format === 'tsv' ? '\t' : ',');
  if (sep === '\\t') sep = '\t';
  if (Buffer.byteLength(sep) !== 1) {
    throw new FootprintError(
      'unsupported',
      `sep=${JSON.stringify(sep)} is not a single character: pandas switches to its Python engine, which Headroom does not model.`,
      'Use a one-character separator.',
    );
  }
  const encoding = byteEncodingOf(read.encoding);
  if (encoding === null) {
    throw new FootprintError(
      'unsupported',
      `encoding='${read.encoding}' is not modelled (UTF-8, latin-1 and cp1252 are).`,
      'Convert the file to UTF-8.',
    );
  }
  const compression = det.compression;
  const asked =
    read.compression === undefined || read.compression === 'infer' ? det.inferredCompression : read.compression;
  if (compression === 'gzip' && asked !== 'gzip') {
    if (read.compression === null) {
      throw new FootprintError(
        'binary',
        'The file is gzip-compressed but compression=None was passed: pandas would read compressed bytes.',
        "Remove compression=None (or pass compression='gzip').",
      );
    }
    warnings.push(
      "The file is gzip-compressed but its name does not end in .gz: pandas only infers compression from the extension, so pass compression='gzip'.",
    );
  } else if (compression === null && asked === 'gzip') {
    throw new FootprintError(
      'binary',
      'The file is named .gz but is not gzip data: pandas would raise BadGzipFile.',
      'Rename the file or pass compression=None.',
    );
  }
  let size = 1 << 20;
  for (;;) {
    const { buf, eof } =
      compression === 'gzip'
        ? await gunzipHead(path, size)
        : (() => {
            const b = readHead(path, size);
            return { buf: b, eof: b.length < size || b.length >= det.fileBytes };
          })();
    const bom = utf16Bom(buf);
    if (bom) throw utf16Error(path, bom);
    const bad = binaryAt(buf, encoding);
    if (bad >= 0) {
      throw new FootprintError(
        'binary',
        `${path} looks like a binary file, not ${det.format.toUpperCase()} text: it contains NUL bytes, and byte 0x${buf[bad].toString(16)} at offset ${bad} is not valid ${encoding === 'utf8' ? 'UTF-8' : encoding} (pandas raises UnicodeDecodeError).`,
        'Pick a CSV, TSV or Parquet file.',
      );
    }
    const header = parseHeader(buf, sep.charCodeAt(0), encoding, eof);
    if (header) {
      const indexCols = Math.max(0, header.firstRowFields !== null ? header.firstRowFields - header.names.length : 0);
      const ncols = header.names.length + indexCols;
      const blockRows = lowMemoryBlockRows(ncols);
      return {
        path,
        compression,
        delimiter: sep.charCodeAt(0),
        encoding,
        header,
        indexCols,
        ncols,
        blockRows,
        microRows: microRowsFor(ncols, blockRows),
        fileBytes: det.fileBytes,
        naSpellings: naSpellings(versionAtLeast(model.pandas, 2)),
        outOfRangeIsText: !versionAtLeast(model.pandas, 3),
        warnings,
      };
    }
    if (eof || size >= MAX_RECORD_BYTES) {
      throw new FootprintError(
        'unsupported',
        eof
          ? 'The header and the first data row never end: the file stops inside them.'
          : `The header or the first data row is longer than ${size >> 20} MiB: Headroom does not scan records that long.`,
        'Check the file, the quotes and the separator.',
      );
    }
    size *= 4;
  }
}

/**
 * Rows per micro-block: small enough that rescanning the micro-blocks straddling block boundaries
 * stays ~3% of the work. A micro-block keeps K statistics per column, so a wide file (blocks of a few
 * rows) keeps whole blocks instead: one straddling block is a few rows to rescan, and 100,000 columns
 * do not keep 16 MiB of statistics for every row.
 */
export function microRowsFor(ncols: number, blockRows: number): number {
  return isWide(ncols) ? blockRows : Math.max(1, blockRows / 32);
}

/** A file whose per-column statistics for one block reach 1 MiB (about 6,000 columns and more). */
export function isWide(ncols: number): boolean {
  return ncols * K * 8 >= 1 << 20;
}

export function scanSettings(plan: CsvPlan, firstRow: number | null, maxRows: number | null): FootprintScanSettings {
  return {
    delimiter: plan.delimiter,
    ncols: plan.ncols,
    naSpellings: plan.naSpellings,
    outOfRangeIsText: plan.outOfRangeIsText,
    encoding: plan.encoding,
    microRows: plan.microRows,
    firstRow,
    distinctCap: DISTINCT_CAP,
    maxRows,
  };
}
