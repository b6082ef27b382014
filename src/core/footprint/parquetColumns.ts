/**
 * One Parquet column read for what its metadata does not say (text lengths and widths, distinct values,
 * number statistics): the unit of work the engine runs in its worker pool, one column per task, or
 * in-thread for small files.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { parquetMetadataAsync, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import type { ParquetColumnResult, ParquetColumnTask, ParquetTextPage, ParquetTextResult } from './workerProtocol';
import { dateSignature } from './dateShape';
import { DISTINCT_CAP } from './distinct';
import { numberStats } from './parquetNumbers';
import { visitTextValues, WHOLE_COLUMN } from './parquetPages';
import { measureText, width } from './textWidth';
import { cancelledError } from './types';

/** The file as hyparquet reads it, through synchronous reads of an open descriptor. */
export function fileBuffer(fd: number, size: number): AsyncBuffer {
  return {
    byteLength: size,
    slice(start: number, end = size): ArrayBuffer {
      const buf = new Uint8Array(end - start);
      readSync(fd, buf, 0, buf.length, start);
      return buf.buffer;
    },
  };
}

/** Reads a text column's values (as bytes) row group by row group, keeping only counts. */
export async function textStats(
  file: AsyncBuffer,
  metadata: FileMetaData,
  leaf: number,
  wantDistinct: boolean,
  sample: ParquetColumnTask['sample'],
  signal?: AbortSignal,
): Promise<ParquetTextResult> {
  const classes = [0, 0, 0, 0, 0, 0, 0, 0];
  let utf8 = 0;
  let nulls = 0;
  let rows = 0;
  let validity = 0;
  let distinct: Map<string, number> | null = wantDistinct ? new Map() : null;
  let dateSig = 0; // -1 once a value is no date or has another shape
  const pages: ParquetTextPage[] | null = sample ? [] : null;
  let before = { classes: [...classes], utf8: 0 };
  const onPageEnd = (pageRows: number, pageNulls: number) => {
    pages!.push({
      rows: pageRows,
      nulls: pageNulls,
      classes: classes.map((c, i) => c - before.classes[i]),
      utf8: utf8 - before.utf8,
    });
    before = { classes: [...classes], utf8 };
  };
  await visitTextValues(
    file,
    metadata,
    leaf,
    sample ?? WHOLE_COLUMN,
    (bytes, start, end, times) => {
      measureText(bytes, start, end, 'utf8');
      const m = width.maxCodePoint;
      const cls = m < 128 ? 0 : m < 256 ? 2 : m < 65536 ? 4 : 6;
      classes[cls] += times;
      classes[cls + 1] += times * width.codePoints;
      utf8 += times * (end - start);
      if (dateSig !== -1) {
        const sig = dateSignature(bytes, start, end);
        dateSig = sig === 0 || (dateSig !== 0 && sig !== dateSig) ? -1 : sig;
      }
      if (distinct) {
        const key = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
        if (!distinct.has(key)) distinct.set(key, end - start);
        if (distinct.size > DISTINCT_CAP) distinct = null;
      }
    },
    (groupRows, groupNulls) => {
      rows += groupRows;
      nulls += groupNulls;
      if (groupNulls > 0) validity += Math.ceil(groupRows / 8);
    },
    sample ? onPageEnd : null,
    () => signal?.aborted === true,
  );
  if (signal?.aborted) throw cancelledError();
  return {
    type: 'parquet-text',
    rows,
    nulls,
    classes,
    utf8,
    validity,
    distinct: distinct && [...distinct.entries()],
    dateShape: dateSig,
    pages,
  };
}

/** Reads one column of a file the engine has parsed the metadata of (in-thread). */
export async function readColumnOf(
  file: AsyncBuffer,
  metadata: FileMetaData,
  task: Omit<ParquetColumnTask, 'type' | 'path'>,
  signal?: AbortSignal,
): Promise<ParquetColumnResult> {
  if (task.read === 'text') return textStats(file, metadata, task.leaf, task.distinct, task.sample, signal);
  const stats = await numberStats(file, metadata, task.leaf, signal, task.sample ?? WHOLE_COLUMN);
  if (signal?.aborted) throw cancelledError();
  return { type: 'parquet-number', ...stats };
}

// A worker reads one column per task: it keeps the last file's metadata rather than parse it again for
// each column (the file's size and change time must match).
let cached: { path: string; size: number; mtimeMs: number; metadata: FileMetaData } | null = null;

/** The worker's side of a ParquetColumnTask. */
export async function readParquetColumn(task: ParquetColumnTask): Promise<ParquetColumnResult> {
  const fd = openSync(task.path, 'r');
  try {
    const { size, mtimeMs } = fstatSync(fd);
    const file = fileBuffer(fd, size);
    if (!cached || cached.path !== task.path || cached.size !== size || cached.mtimeMs !== mtimeMs) {
      cached = { path: task.path, size, mtimeMs, metadata: await parquetMetadataAsync(file) };
    }
    return await readColumnOf(file, cached.metadata, task);
  } finally {
    closeSync(fd);
  }
}
