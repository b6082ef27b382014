// What `headroom footprint` prints: the JSON object per file and the human-readable table.
import { columnsWithSuggestions, fileFacts, type Advice } from '../core/footprint/index';
import type { FootprintResult } from '../core/footprint/types';
import { formatBytes, formatCount, formatUncertainty } from '../core/format';

export function footprintJson(result: FootprintResult, advice: Advice) {
  return {
    ...fileFacts(result),
    columns: columnsWithSuggestions(result, advice),
    suggestedTotalBytes: advice.plan.suggestedTotalBytes,
    savedBytes: advice.savedBytes,
    code: advice.code,
    sparse: advice.plan.sparse.map(({ name, sparseDtype, bytesBefore, bytes }) => ({
      name,
      dtype: sparseDtype,
      bytesBefore,
      bytes,
    })),
    subsample: advice.subsample ?? null,
    fit: advice.fit ?? null,
    model: result.model,
    mode: result.mode,
    uncertaintyPercent: result.uncertaintyPercent,
    warnings: result.warnings,
    implicitIndex: result.implicitIndex ?? null,
    indexNote: advice.indexNote,
    elapsedMs: result.elapsedMs,
  };
}

function table(rows: string[][], rightAligned: Set<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) =>
    r
      .map((cell, i) =>
        i === r.length - 1 ? cell : rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd(),
  );
}

export function footprintText(result: FootprintResult, advice: Advice, cores = 1): string {
  const m = result.model;
  const approx = result.mode === 'quick' ? ` ${formatUncertainty(result.uncertaintyPercent)}` : '';
  const head = `${result.file}  (${result.format}${result.compression ? `+${result.compression}` : ''}, ${formatCount(result.rows)} rows, ${result.columns.length} columns, ${result.mode} mode, pandas ${m.pandas} / Python ${m.python}${m.pyarrow ? ' / pyarrow' : ''})`;
  const rows = [['column', 'dtype', 'bytes', 'nulls', 'suggested', 'after', 'why']];
  result.columns.forEach((c, i) => {
    const s = advice.plan.columns[i].suggestion;
    rows.push([
      c.name,
      c.dtype,
      formatBytes(c.bytes),
      formatCount(c.nulls),
      s?.dtype ?? '-',
      s ? formatBytes(s.bytes) : '',
      s?.reason ?? '',
    ]);
  });
  rows.push(['(index)', '', formatBytes(result.indexBytes), '', '', '', '']);
  const lines = [head, '', ...table(rows, new Set([2, 3, 5])).map((l) => `  ${l}`), ''];
  lines.push(
    `  now:   ${formatBytes(result.totalBytes)}${approx} (${formatCount(result.totalBytes)} bytes)`,
    `  after: ${formatBytes(advice.plan.suggestedTotalBytes)}${approx} (${formatCount(advice.plan.suggestedTotalBytes)} bytes), ${advice.savedPercent.toFixed(0)}% saved`,
  );
  if (advice.indexNote) lines.push(`  index: ${advice.indexNote}`);
  for (const w of result.warnings) lines.push(`  warning: ${w}`);
  lines.push('', '  Load it with the plan applied:', '', ...indent(advice.code));
  if (advice.sparseCode) lines.push('', ...indent(advice.sparseCode));
  const sub = advice.subsample;
  if (sub) {
    lines.push(
      '',
      `  Memory: ${formatBytes(sub.availableBytes)} available, ${formatBytes(sub.budgetBytes)} planned for (${Math.round(sub.safetyMargin * 100)}% kept free).`,
      `  With ${sub.workers} worker${sub.workers === 1 ? '' : 's'} (${sub.copies} cop${sub.copies === 1 ? 'y' : 'ies'} of the frame): ${
        sub.sampleFraction >= 1
          ? 'all rows fit'
          : sub.sampleFraction > 0
            ? `a sample of ${(sub.sampleFraction * 100).toPrecision(2)}% of the rows fits (about ${formatBytes(sub.sampleFrameBytes)} a copy)`
            : 'not even a small sample fits'
      }; ${sub.maxWorkersFullSize === 0 ? 'at full size not even one copy fits' : `at full size, up to n_jobs=${sub.maxWorkersFullSize} fits${sub.maxWorkersFullSize >= cores ? ' (every core)' : ''}`}.`,
    );
    if (sub.code) lines.push('', ...indent(sub.code));
  }
  const fit = advice.fit;
  if (fit && !fit.fits) {
    lines.push('', `  Even the planned frame exceeds ${formatBytes(fit.budgetBytes)}.`);
    if (fit.usecols && fit.usecolsCode) {
      lines.push(
        `  Without ${fit.usecols.drop.join(', ')}: ${formatBytes(fit.usecols.bytes)}.`,
        '',
        ...indent(fit.usecolsCode),
      );
    }
    if (fit.chunks && fit.chunksCode) {
      lines.push(
        '',
        `  Streaming ${formatCount(fit.chunks.chunksize)} rows at a time: about ${formatBytes(fit.chunks.chunkBytes)} a chunk.`,
        '',
        ...indent(fit.chunksCode),
      );
    }
  }
  return lines.join('\n');
}

function indent(code: string): string[] {
  return code.split('\n').map((l) => (l ? `    ${l}` : ''));
}
