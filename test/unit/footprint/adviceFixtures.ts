// Hand-built scan results for the advisor's unit tests.
import type { ColumnProfile, FootprintResult, PandasModel } from '../../../src/core/footprint/types';

export const pandas22: PandasModel = { pandas: '2.2', python: '3.11', pyarrow: true };
export const pandas30: PandasModel = { pandas: '3.0', python: '3.11', pyarrow: true };

export function column(over: Partial<ColumnProfile> & { name: string }): ColumnProfile {
  return {
    dtype: 'int64',
    bytes: 0,
    nulls: 0,
    distinct: null,
    highCardinality: false,
    valueKind: 'integer',
    min: null,
    max: null,
    zeros: 0,
    allIntegral: false,
    float32: null,
    dateLike: false,
    oddBoolSpellings: [],
    categoryBytes: null,
    ...over,
  };
}

export function result(columns: ColumnProfile[], rows: number, over: Partial<FootprintResult> = {}): FootprintResult {
  const indexBytes = 132;
  return {
    file: 'data/sample.csv',
    format: 'csv',
    compression: null,
    fileBytes: 1000,
    rows,
    indexBytes,
    totalBytes: indexBytes + columns.reduce((s, c) => s + c.bytes, 0),
    columns,
    model: pandas22,
    mode: 'exact',
    uncertaintyPercent: 0,
    warnings: [],
    elapsedMs: 1,
    ...over,
  };
}

export const int = (name: string, rows: number, min: number, max: number, zeros = 0) =>
  column({ name, dtype: 'int64', bytes: 8 * rows, min, max, zeros });
