/** Turning a worker's TrialOutcome into the TrialRecord that goes to trials.jsonl and the UI. */
import type { TrialRecord, TrialStatus } from './runFiles';
import type { PlannedTrial, TrialOutcome } from './types';

export interface RecordContext {
  runId: string;
  planned: PlannedTrial;
  attempt: number;
  metric: string;
  cacheKey: string;
  logFile: string;
  intermediate: TrialRecord['intermediate'];
  timeoutMs: number | null;
  /** Set when the memory guard or the budget killed the trial: will it run again? */
  requeued: boolean;
  /** Why the guard killed it, in words. */
  killNote: string | null;
  pruned: boolean;
}

export function toRecord(ctx: RecordContext, o: TrialOutcome): TrialRecord {
  let status: TrialStatus = o.status;
  let error = o.error;
  let final = true;
  const reason = ctx.pruned ? 'prune' : o.killReason;
  if (reason === 'prune') {
    status = 'pruned';
    error = 'pruned: worse than the median of other trials at the same step';
  } else if (reason === 'timeout') {
    status = 'timeout';
    error = `timeout after ${formatSeconds(ctx.timeoutMs ?? 0)}: the whole process tree was killed`;
  } else if (reason === 'cancel') {
    status = 'cancelled';
    error = 'cancelled: the run was stopped';
    final = false;
  } else if (reason === 'memory' || reason === 'budget') {
    status = 'killed';
    error = ctx.killNote ?? 'killed: memory pressure';
    final = !ctx.requeued;
  }
  const value = ctx.metric in o.metrics ? o.metrics[ctx.metric] : null;
  return {
    runId: ctx.runId,
    trialId: ctx.planned.trialId,
    attempt: ctx.attempt,
    params: ctx.planned.params,
    rung: ctx.planned.rung,
    fraction: ctx.planned.fraction,
    status,
    final,
    metrics: o.metrics,
    value: status === 'done' ? value : null,
    intermediate: ctx.intermediate,
    exitCode: o.exitCode,
    signal: o.signal,
    error,
    startedAt: o.startedAt,
    endedAt: o.endedAt,
    wallMs: o.endedAt - o.startedAt,
    cpuMs: o.cpuMs === null ? null : Math.round(o.cpuMs),
    peakRssBytes: o.peakRssBytes,
    peakPssBytes: o.peakPssBytes,
    logFile: ctx.logFile,
    logDroppedBytes: o.logDroppedBytes,
    cacheKey: ctx.cacheKey,
  };
}

export function cachedRecord(
  runId: string,
  planned: PlannedTrial,
  from: TrialRecord,
  metric: string,
  now = Date.now(),
): TrialRecord {
  return {
    ...from,
    runId,
    trialId: planned.trialId,
    attempt: 1,
    rung: planned.rung,
    fraction: planned.fraction,
    status: 'cached',
    final: true,
    value: metric in from.metrics ? from.metrics[metric] : null,
    startedAt: now,
    endedAt: now,
    logFile: `../${from.runId}/${from.logFile}`,
    cachedFrom: { runId: from.runId, trialId: from.trialId },
  };
}

export function formatSeconds(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${+(ms / 1000).toFixed(1)} s`;
}

/** Median rule: worse than the median of the other trials' values at this step (needs `minOthers`). */
export function shouldPrune(value: number, others: number[], mode: 'max' | 'min', minOthers: number): boolean {
  if (others.length < minOthers || !Number.isFinite(value)) return false;
  const sorted = [...others].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)] : (sorted[mid - 1] + sorted[mid]) / 2;
  return mode === 'max' ? value < median : value > median;
}
