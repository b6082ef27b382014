/**
 * What a dataset file is: format from the content (Parquet magic `PAR1`, gzip magic 1f8b) and the
 * extension (.tsv/.tab use read_table's tab separator; pandas infers compression from `.gz`).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { emptyParquetError, openError } from './fileErrors';
import { FootprintError, type DatasetFormat } from './types';

export interface DetectedFormat {
  format: DatasetFormat;
  /** Compression of the bytes on disk (from the content). */
  compression: 'gzip' | null;
  /** Compression pandas would apply with compression='infer' (from the extension). */
  inferredCompression: 'gzip' | null;
  fileBytes: number;
}

export function statOrThrow(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isFile())
      throw new FootprintError('unreadable', `${path} is not a file.`, 'Pick a CSV, TSV or Parquet file.');
    return st.size;
  } catch (error) {
    if (error instanceof FootprintError) throw error;
    throw openError(path, (error as NodeJS.ErrnoException).code, String(error));
  }
}

export function readHead(path: string, bytes: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw openError(path, (error as NodeJS.ErrnoException).code, String(error));
  }
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

function textFormatFromName(name: string): DatasetFormat {
  return /\.(tsv|tab)$/i.test(name) ? 'tsv' : 'csv';
}

/** Detects the format of `path` from its first bytes and its name. */
export function detectFormat(path: string): DetectedFormat {
  const fileBytes = statOrThrow(path);
  const head = readHead(path, 8);
  const name = basename(path);
  const gzName = /\.gz$/i.test(name);
  const inner = gzName ? name.slice(0, -3) : name;
  if (head.length >= 4 && head.toString('latin1', 0, 4) === 'PAR1') {
    return { format: 'parquet', compression: null, inferredCompression: null, fileBytes };
  }
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    return {
      format: textFormatFromName(inner),
      compression: 'gzip',
      inferredCompression: gzName ? 'gzip' : null,
      fileBytes,
    };
  }
  if (/\.(parquet|pq)$/i.test(name) && fileBytes === 0) throw emptyParquetError(path);
  if (/\.(parquet|pq)$/i.test(name) && fileBytes > 0) {
    throw new FootprintError(
      'parquet',
      `${name} is named like a Parquet file but does not start with the Parquet magic bytes PAR1.`,
      'Check that the file was fully written; pandas would raise ArrowInvalid.',
    );
  }
  return {
    format: textFormatFromName(inner),
    compression: null,
    inferredCompression: gzName ? 'gzip' : null,
    fileBytes,
  };
}
