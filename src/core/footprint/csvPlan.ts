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
import { isTruncatedGzip, truncatedGzipError, utf16Bom, utf16Error } from './fileErrors';
import { byteEncodingOf, type ByteEncoding } from './textWidth';
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
    if (isTruncatedGzip(error)) throw truncatedGzipError();
    throw new FootprintError(
      'unreadable',
      `The gzip data is corrupt or truncated (${(error as Error).message}).`,
      'Re-create or re-download the file; pandas would fail the same way.',
    );
  } finally {
    file.destroy();
    gunzip.destroy();
  }
  return { buf: Buffer.concat(parts), eof };
}

function looksBinary(head: Buffer): boolean {
  const n = Math.min(head.length, 8192);
  for (let i = 0; i < n; i++) if (head[i] === 0) return true;
  return false;
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
    if (looksBinary(buf)) {
      throw new FootprintError(
        'binary',
        `${path} looks like a binary file (it contains NUL bytes), not ${det.format.toUpperCase()} text.`,
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
    encoding: plan.encoding,
    microRows: plan.microRows,
    firstRow,
    distinctCap: DISTINCT_CAP,
    maxRows,
  };
}
