/**
 * How the Parquet analysis reads its columns: in the worker pool for big files (one column a task) or
 * in-thread, whole or (quick mode, big text columns) sampled, with what a sample says about its error.
 */
import type { AsyncBuffer, FileMetaData } from 'hyparquet';
import type { ParquetColumnResult, ParquetColumnTask, ParquetTextResult } from './workerProtocol';
import { QUICK_DISTINCT_CAP } from './distinct';
import { readColumnOf } from './parquetColumns';
import { defaultWorkers, getPool } from './pool';
import { cancelledError, FootprintError, type FootprintOptions } from './types';

/** Files below this are read in-thread: starting workers would cost more than it saves. */
const IN_THREAD_BYTES = 8 * 1024 * 1024;
/** Quick mode reads text columns up to this size whole, and samples bigger ones to about this much. */
const QUICK_COLUMN_BYTES = 4 * 1024 * 1024;
const QUICK_GROUPS = 16;
/**
 * Quick mode's sample of a number column, read only for the advice's facts (float32's error, whole
 * numbers, zeros): the first data page of the first, middle and last row groups (a small column whole).
 */
export function quickNumberSample(metadata: FileMetaData, leaf: number): ParquetColumnTask['sample'] {
  const budget = 256 * 1024;
  const sizes = metadata.row_groups.map((rg) => Number(rg.columns[leaf]?.meta_data?.total_compressed_size ?? 0));
  if (sizes.reduce((a, b) => a + b, 0) <= budget) return null;
  const n = sizes.length;
  return { groups: [...new Set([0, Math.floor(n / 2), n - 1])], prefixBytes: 1 };
}

/** Quick mode's sample of a big text column: pages from the start of evenly spaced row groups. */
export function quickSample(metadata: FileMetaData, leaf: number): ParquetColumnTask['sample'] {
  const sizes = metadata.row_groups.map((rg) => Number(rg.columns[leaf]?.meta_data?.total_compressed_size ?? 0));
  if (sizes.reduce((a, b) => a + b, 0) <= QUICK_COLUMN_BYTES) return null;
  const n = sizes.length;
  const groups = [
    ...new Set(
      Array.from({ length: Math.min(n, QUICK_GROUPS) }, (_, i) =>
        Math.round((i * (n - 1)) / Math.max(1, Math.min(n, QUICK_GROUPS) - 1)),
      ),
    ),
  ];
  return { groups, prefixBytes: Math.max(256 * 1024, Math.ceil(QUICK_COLUMN_BYTES / groups.length)) };
}

/** A sampled text column's counts scaled to all `rows` (nulls and validity exact when the metadata has them). */
export function scaleSample(
  t: { rows: number; nulls: number; classes: number[]; utf8: number },
  rows: number,
  exact: { nulls: number; validity: number } | null,
): { nulls: number; classes: number[]; utf8: number; validity: number } {
  const f = rows / Math.max(1, t.rows);
  const nulls = exact?.nulls ?? Math.round(t.nulls * f);
  return {
    nulls,
    classes: t.classes.map((c) => c * f),
    utf8: t.utf8 * f,
    // without null counts in the metadata: one bit a row (a bitmap in each row group) once nulls are seen
    validity: exact?.validity ?? (nulls > 0 ? Math.ceil(rows / 8) : 0),
  };
}

/**
 * A text column's distinct values (null: high-cardinality). A sample's distinct values undercount the
 * column's; past quick mode's cap, as for a CSV sample, the column counts as high-cardinality.
 */
export function distinctOf(t: ParquetTextResult): Map<string, number> | null {
  if (!t.distinct || (t.pages && t.distinct.length > QUICK_DISTINCT_CAP)) return null;
  return new Map(t.distinct);
}

/** Validity bytes of a column whose chunks all have null counts: a bitmap per row group with a null. */
export function exactValidity(
  chunks: ({ num_values: bigint; statistics?: { null_count?: bigint } } | undefined)[],
): number {
  return chunks.reduce(
    (s, c) => s + (c && Number(c.statistics?.null_count ?? 0) > 0 ? Math.ceil(Number(c.num_values) / 8) : 0),
    0,
  );
}

/** The squared standard error of the mean of `values` (each an estimate of the same thing). */
export function varianceOfMean(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return ss / Math.max(1, values.length - 1) / values.length;
}

export type ColumnRead = Omit<ParquetColumnTask, 'type' | 'path'>;

/** Reads columns in the worker pool (one column a task), or in-thread for small files. */
export function columnReader(
  path: string,
  file: AsyncBuffer,
  metadata: FileMetaData,
  fileBytes: number,
  options: FootprintOptions,
  signal: AbortSignal,
): <R extends ParquetColumnResult>(read: ColumnRead) => Promise<R> {
  const pool = fileBytes > IN_THREAD_BYTES ? getPool(Math.max(1, options.workers ?? defaultWorkers())) : null;
  return async <R extends ParquetColumnResult>(read: ColumnRead) => {
    try {
      const result = pool
        ? await pool.run({ type: 'parquet-column', path, ...read }, { signal })
        : await readColumnOf(file, metadata, read, signal);
      return result as R;
    } catch (error) {
      if (signal.aborted) throw cancelledError();
      if (error instanceof FootprintError) throw error;
      const name = metadata.row_groups[0]?.columns[read.leaf]?.meta_data?.path_in_schema.join('.') ?? read.leaf;
      throw new FootprintError(
        'parquet',
        `Column '${name}' cannot be decoded: ${(error as Error).message}.`,
        'The file may be corrupt or truncated; pandas (pyarrow) would fail to read it too.',
      );
    }
  };
}
