/** The words the hints show: inline label, hover markdown, diagnostic messages. */
import { formatBytes, formatCount, formatUncertainty } from '../format';
import type { FootprintResult } from '../footprint/types';
import type { ApplicablePlan } from './edits';
import type { Forecast, Oversubscription } from './forecast';
import type { Resolution } from './resolve';
import type { ParallelCall, ReadCall } from './types';

export function modelLabel(model: FootprintResult['model']): string {
  return `pandas ${model.pandas}`;
}

/**
 * `~ 448 MiB in pandas 3.0 | 96 MiB with dtypes | not accounted for: header`, shortened step by step
 * until it fits `maxLength` (VS Code truncates a line's inlay hints at editor.inlayHints.maximumLength,
 * 43 by default; 0 means no limit). The hover always has everything.
 */
export function hintLabel(
  result: FootprintResult,
  applicable: ApplicablePlan | undefined,
  call: ReadCall,
  maxLength = 0,
): string {
  const spread =
    result.mode === 'quick' && result.uncertaintyPercent > 0 ? ` ${formatUncertainty(result.uncertaintyPercent)}` : '';
  const size = `~ ${formatBytes(result.totalBytes)}${spread}`;
  const model = modelLabel(result.model);
  const typed =
    applicable && applicable.savedBytes > 0 ? `| ${formatBytes(applicable.withDtypesBytes)} with dtypes` : '';
  const u = call.unaccounted;
  const args = u.length === 1 ? '1 arg' : `${u.length} args`;
  const caveat = u.length ? `| ${args} not accounted for` : '';
  const candidates = [
    [`${size} in ${model}`, typed, u.length ? `| not accounted for: ${u.join(', ')}` : ''],
    [`${size} in ${model}`, typed, caveat],
    [size, typed, caveat],
    [`${size} in ${model}`, caveat || typed],
    [size, caveat || typed],
  ].map((parts) => parts.filter(Boolean).join(' '));
  return candidates.find((c) => maxLength <= 0 || c.length <= maxLength) ?? candidates[candidates.length - 1];
}

/**
 * The short form for an inlay hint (VS Code cuts a line's hints at 43 characters by default, and a
 * "pick file" link may follow); the hover has the reason in full.
 */
export function missingInlayLabel(call: ReadCall, resolution: Resolution | undefined, maxLength = 43): string {
  const full = missingLabel(call, resolution);
  if (maxLength <= 0 || full.length <= maxLength - 15) return full;
  if (call.remote) return 'remote file: not sized';
  if (call.path === null) return 'size unknown (hover: why)';
  const name = call.path.replace(/^.*[\\/]/, '');
  return `${name.length > 24 ? name.slice(0, 23) + '…' : name}: not found`;
}

export function missingLabel(call: ReadCall, resolution: Resolution | undefined): string {
  if (call.remote) return 'remote file (URL): not sized, Headroom sizes local files';
  if (call.path === null) return `size unknown: ${call.pathProblem ?? 'path is not a literal'}`;
  if (resolution && !resolution.found) return `${call.path}: not found, nothing to size yet`;
  return `${call.path}: not sized`;
}

const md = (text: string) => text.replace(/([\\`*_{}[\]()#+!|<>])/g, '\\$1');

export function hoverMarkdown(
  result: FootprintResult,
  applicable: ApplicablePlan | undefined,
  call: ReadCall,
  resolved: string,
): string {
  const lines = [
    `**Headroom: ${md(call.fn)} memory** (${result.mode === 'exact' ? 'exact' : `quick estimate, ${formatUncertainty(result.uncertaintyPercent)}`})`,
    '',
  ];
  lines.push(`- File: \`${resolved}\` (${formatBytes(result.fileBytes)} on disk${result.compression ? ', gzip' : ''})`);
  lines.push(`- ${formatCount(result.rows)} rows × ${result.columns.length} columns`);
  lines.push(
    `- \`memory_usage(deep=True).sum()\`: **${formatBytes(result.totalBytes)}** (${formatCount(result.totalBytes)} bytes)`,
  );
  if (applicable && applicable.savedBytes > 0) {
    lines.push(
      `- With the suggested dtypes: **${formatBytes(applicable.withDtypesBytes)}** (saves ${formatBytes(applicable.savedBytes)})`,
    );
  }
  const m = result.model;
  lines.push(`- Model: pandas ${m.pandas}, Python ${m.python}, ${m.pyarrow ? 'with' : 'without'} pyarrow`);
  const heaviest = [...result.columns].sort((a, b) => b.bytes - a.bytes).slice(0, 5);
  if (heaviest.length) {
    lines.push('', '| heaviest columns | dtype | bytes |', '|---|---|---:|');
    for (const c of heaviest) lines.push(`| ${md(c.name)} | ${c.dtype} | ${formatBytes(c.bytes)} |`);
  }
  if (call.unaccounted.length)
    lines.push('', `Not accounted for: ${call.unaccounted.map((u) => `\`${u}\``).join(', ')}`);
  for (const w of result.warnings) lines.push('', `⚠ ${md(w)}`);
  return lines.join('\n');
}

export function missingHover(call: ReadCall, resolution: Resolution | undefined, error?: string): string {
  const lines = [`**Headroom: ${call.fn}**`, ''];
  if (call.remote) {
    const what = call.path === null ? md(call.pathProblem ?? 'it reads a remote URL') : `it reads \`${call.path}\``;
    lines.push(`Remote file: ${what}. Headroom sizes local files only; download it to see its memory.`);
  } else if (call.path === null) lines.push(`No size: ${md(call.pathProblem ?? 'the path is not a literal')}.`);
  else if (resolution && !resolution.found) {
    lines.push(`\`${call.path}\` is not there yet: ${md(resolution.reason)}.`);
    lines.push('', 'The hint appears as soon as the file exists.');
  } else if (error) lines.push(md(error));
  return lines.join('\n');
}

export function forecastMessage(f: Forecast): string {
  const head = `${f.call} with ${f.workers} worker${f.workers === 1 ? '' : 's'} may peak at ~${formatBytes(f.peakBytes)}, more than the ${formatBytes(f.availableBytes)} available`;
  const fix =
    f.maxFittingJobs >= 1
      ? `; n_jobs=${f.maxFittingJobs} fits`
      : '; even one worker does not fit: downcast or sample first';
  return head + fix + '.';
}

/**
 * The n_jobs memory warning of a parallel call, or undefined when it has none: its forecast fits, or
 * its work runs on Headroom's memory-aware backend (where a task starts only when its memory fits).
 */
export function nJobsWarning(call: ParallelCall, forecast: Forecast | undefined): string | undefined {
  if (!forecast || forecast.fits || !call.nJobs || call.onHeadroom) return undefined;
  return forecastMessage(forecast);
}

function largestJobsLine(f: Forecast): string {
  const k = f.maxFittingJobs;
  if (f.jobsLimit === 'cores')
    return `Largest n_jobs worth setting: **${k}**, one per core (memory would allow more while keeping 20% free).`;
  if (f.jobsLimit === 'folds')
    return `Largest n_jobs worth setting: **${k}**, one per fold (memory would allow more while keeping 20% free).`;
  return `Largest n_jobs that keeps 20% of available memory free: **${k}**.`;
}

export function forecastHover(f: Forecast, dataset: string): string {
  const lines = [
    `**Headroom: ${f.call} memory forecast** (${f.backend === 'processes' ? 'joblib worker processes' : 'threads sharing the frame'})`,
    '',
    `Peak ≈ **${formatBytes(f.peakBytes)}** with ${f.workers} worker${f.workers === 1 ? '' : 's'}; available now: ${formatBytes(f.availableBytes)} → ${f.fits ? 'fits' : '**does not fit**'}.`,
    '',
    f.backend === 'processes'
      ? '`peak = parent frame + shared memory map + workers × (pickled copy + fold copies + estimator copy)`'
      : '`peak = parent frame + converted copy of X + threads × per-thread buffers`',
    '',
    ...f.terms.map((t) => `- ${md(t)}`),
    `- per worker: ${formatBytes(f.perWorkerBytes)}`,
    '',
    `Dataset: \`${dataset}\`. Not counted: each worker's Python interpreter and imports, and the fitted models' own arrays.`,
  ];
  if (f.maxFittingJobs >= 1) lines.push('', largestJobsLine(f));
  return lines.join('\n');
}

export function oversubscriptionMessage(o: Oversubscription): string {
  return (
    `Nested parallelism: ${o.inner} (n_jobs → ${o.innerWorkers}) inside ${o.outer} (n_jobs → ${o.outerWorkers}) ` +
    `runs up to ${o.outerWorkers * o.innerWorkers} workers on ${o.cpus} cores. Set the inner n_jobs=1 and keep the outer one.`
  );
}
