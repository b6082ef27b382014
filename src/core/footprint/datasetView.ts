/**
 * Scan + advice -> what the dataset panel draws (its messages' payloads). Part of the footprint
 * engine so the VS Code side reaches it through the engine's one bundle; pure, so testable on its own.
 */
import type { DatasetMemoryPlan, DatasetSnippet, DatasetView } from './viewTypes';
import { adviseFootprint, columnsWithSuggestions, type Advice } from './advisor';
import type { FootprintResult } from './types';

/** What every face says about the file itself before its columns (the panel, `headroom footprint --json`). */
export function fileFacts(result: FootprintResult) {
  const { file, format, compression, fileBytes, rows, indexBytes, totalBytes } = result;
  return { file, format, compression, fileBytes, rows, indexBytes, totalBytes };
}

export function datasetView(
  result: FootprintResult,
  advice: Advice,
  label: string,
  modelNote: string | null,
): DatasetView {
  return {
    ...fileFacts(result),
    label,
    suggestedTotalBytes: advice.plan.suggestedTotalBytes,
    savedPercent: advice.savedPercent,
    columns: columnsWithSuggestions(result, advice),
    model: { ...result.model },
    modelNote,
    mode: result.mode,
    uncertaintyPercent: result.uncertaintyPercent,
    warnings: [...result.warnings],
    elapsedMs: result.elapsedMs,
    code: advice.code,
    sparseCode: advice.sparseCode,
    sparseSavedBytes: advice.plan.sparse.reduce((s, c) => s + c.bytesBefore - c.bytes, 0),
    indexNote: advice.indexNote,
  };
}

export interface MemoryInput {
  availableBytes: number;
  cores: number;
  workers?: number;
  safetyMargin?: number;
}

/** The sub-sample plan and fallbacks for the memory available now. */
export function memoryPlan(
  result: FootprintResult,
  codePath: string,
  memory: MemoryInput,
): { plan: DatasetMemoryPlan; advice: Advice } {
  const advice = adviseFootprint(result, { path: codePath, env: memory });
  const sub = advice.subsample!;
  const fit = advice.fit!;
  return {
    advice,
    plan: {
      availableBytes: sub.availableBytes,
      budgetBytes: sub.budgetBytes,
      safetyMargin: sub.safetyMargin,
      workers: sub.workers,
      cores: memory.cores,
      copies: sub.copies,
      frameBytes: sub.frameBytes,
      sampleFraction: sub.sampleFraction,
      sampleFrameBytes: sub.sampleFrameBytes,
      maxWorkersFullSize: sub.maxWorkersFullSize,
      sampleCode: sub.code,
      fits: fit.fits,
      usecols: fit.usecols,
      usecolsCode: fit.usecolsCode,
      chunks: fit.chunks,
      chunksCode: fit.chunksCode,
    },
  };
}

export function snippet(advice: Advice, which: DatasetSnippet): string | null {
  switch (which) {
    case 'code':
      return advice.code;
    case 'sample':
      return advice.subsample?.code ?? null;
    case 'usecols':
      return advice.fit?.usecolsCode ?? null;
    case 'chunks':
      return advice.fit?.chunksCode ?? null;
    case 'sparse':
      return advice.sparseCode;
  }
}
