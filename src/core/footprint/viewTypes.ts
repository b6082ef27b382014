/**
 * What the dataset panel draws: built on the host by datasetView.ts from a scan and its advice,
 * sent to webview/dataset in the messages of src/messages/dataset.ts. Pure types, shared with the webview.
 */
import type { ColumnProfile } from './types';

/** One column as the dataset panel shows it; bytes are memory_usage(deep=True) under the model. */
export interface DatasetColumnView extends Pick<
  ColumnProfile,
  'name' | 'dtype' | 'bytes' | 'nulls' | 'distinct' | 'highCardinality' | 'min' | 'max'
> {
  suggestion: { dtype: string; bytes: number; reason: string } | null;
}

/** A scanned file with its downcast plan, as the panel renders it. */
export interface DatasetView {
  file: string;
  /** The path as shown (workspace-relative when inside the workspace). */
  label: string;
  format: 'csv' | 'tsv' | 'parquet';
  compression: 'gzip' | null;
  fileBytes: number;
  rows: number;
  indexBytes: number;
  totalBytes: number;
  suggestedTotalBytes: number;
  savedPercent: number;
  columns: DatasetColumnView[];
  model: { pandas: string; python: string; pyarrow: boolean };
  /** Set when the model is a default or an override, saying why. */
  modelNote: string | null;
  mode: 'exact' | 'quick';
  uncertaintyPercent: number;
  warnings: string[];
  elapsedMs: number;
  /** Python applying the plan at load time; its footprint is suggestedTotalBytes. */
  code: string;
  /** Mostly-zero columns as SparseDtype, applied after loading; null when none. */
  sparseCode: string | null;
  sparseSavedBytes: number;
}

/** What fits in the memory available now: sample fraction, n_jobs, and the fallbacks when nothing fits. */
export interface DatasetMemoryPlan {
  availableBytes: number;
  budgetBytes: number;
  safetyMargin: number;
  workers: number;
  cores: number;
  copies: number;
  frameBytes: number;
  sampleFraction: number;
  sampleFrameBytes: number;
  maxWorkersFullSize: number;
  sampleCode: string | null;
  fits: boolean;
  usecols: { keep: string[]; drop: string[]; bytes: number } | null;
  usecolsCode: string | null;
  chunks: { chunksize: number; chunkBytes: number } | null;
  chunksCode: string | null;
}

/** Which generated snippet a Copy / Insert button refers to. */
export type DatasetSnippet = 'code' | 'sample' | 'usecols' | 'chunks' | 'sparse';
