/**
 * The dataset footprint engine: what `df.memory_usage(deep=True).sum()` would print after
 * pd.read_csv / read_table / read_parquet, per pandas model, before loading anything.
 */
import { scanCsvExact } from './csvExact';
import { planCsv } from './csvPlan';
import { scanCsvQuick } from './csvQuick';
import { buildCsvColumns, type CsvScanSummary } from './csvResult';
import { detectFormat } from './detect';
import { isTruncatedGzip, openError, truncatedGzipError } from './fileErrors';
import { defaultWorkers } from './pool';
import { cancelledError, FootprintError, type FootprintOptions, type FootprintResult } from './types';

export { detectFormat, type DetectedFormat } from './detect';
export { closeFootprintPool, footprintWorkerPath } from './pool';
export * from './types';
export * from './pandasSizes';
// What the VS Code faces make of a result (advice, the panel's view): reached through this entry too.
export { adviseFootprint, columnsWithSuggestions, type Advice } from './advisor';
export { planDowncast, type DowncastPlan } from './advice';
export { datasetView, fileFacts, memoryPlan, snippet, type MemoryInput } from './datasetView';

/** Quick mode states at most this +- (percent); a sample that cannot do better is replaced by the exact scan. */
export const QUICK_MAX_UNCERTAINTY = 10;

function asFootprintError(path: string, error: unknown, signal?: AbortSignal): never {
  if (error instanceof FootprintError) throw error;
  if (signal?.aborted) throw cancelledError();
  const code = (error as NodeJS.ErrnoException)?.code;
  if (isTruncatedGzip(error)) throw truncatedGzipError();
  if (code !== undefined && /^E[A-Z]+$/.test(code)) throw openError(path, code, (error as Error).message);
  throw error;
}

/** Analyzes one CSV/TSV (optionally .gz) or Parquet file under `options.model`. */
export async function analyzeFile(path: string, options: FootprintOptions): Promise<FootprintResult> {
  const started = performance.now();
  try {
    if (options.signal?.aborted) throw cancelledError();
    const det = detectFormat(path);
    if (det.format === 'parquet') {
      // Loaded on first use: its decompressors cost a CSV-only call (the CLI) start-up time.
      const { analyzeParquet } = await import('./parquet');
      const result = await analyzeParquet(path, det.fileBytes, options);
      return { ...result, elapsedMs: Math.round(performance.now() - started) };
    }
    if (det.fileBytes === 0) {
      throw new FootprintError(
        'empty',
        'The file is empty: pandas raises EmptyDataError "No columns to parse from file".',
        'Check that the file was fully written.',
      );
    }
    const plan = await planCsv(path, det, options.model, options.read);
    const nrows = options.read?.nrows ?? null;
    let summary: CsvScanSummary;
    let mode = options.mode;
    let uncertaintyPercent = 0;
    const quick =
      options.mode === 'quick' && nrows === null ? await scanCsvQuick(plan, options.signal, options.onProgress) : null;
    if (quick && quick.unbounded === null) {
      summary = quick.summary;
      if (quick.complete) mode = 'exact';
    } else {
      if (quick?.unbounded) plan.warnings.push(quick.unbounded);
      summary = await scanCsvExact(plan, {
        workers: Math.max(1, options.workers ?? defaultWorkers()),
        nrows,
        signal: options.signal,
        onProgress: options.onProgress,
      });
      mode = 'exact';
    }
    const { columns, indexBytes, implicitIndex, warnings } = buildCsvColumns(summary, options.model, options.read);
    const totalBytes = indexBytes + columns.reduce((s, c) => s + c.bytes, 0);
    if (quick && quick.unbounded === null && mode === 'quick') {
      uncertaintyPercent = quick.uncertaintyPercent(options.model, totalBytes);
      if (uncertaintyPercent > QUICK_MAX_UNCERTAINTY) {
        // A sample this uneven says little: the exact scan says it all, in about the time exact takes.
        const exact = await analyzeFile(path, { ...options, mode: 'exact' });
        return {
          ...exact,
          warnings: [
            `Quick mode scanned the whole file exactly: its sample could bound the total only to ±${uncertaintyPercent}% (records of very uneven length or content).`,
            ...exact.warnings,
          ],
          elapsedMs: Math.round(performance.now() - started),
        };
      }
    }
    options.onProgress?.(1);
    return {
      file: path,
      format: det.format,
      compression: plan.compression,
      fileBytes: det.fileBytes,
      rows: summary.rows,
      indexBytes,
      ...(implicitIndex ? { implicitIndex } : {}),
      totalBytes,
      columns,
      model: options.model,
      mode,
      uncertaintyPercent,
      warnings: [...plan.warnings, ...warnings],
      elapsedMs: Math.round(performance.now() - started),
    };
  } catch (error) {
    asFootprintError(path, error, options.signal);
  }
}
