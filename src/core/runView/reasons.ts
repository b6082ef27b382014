/** Words for what a run is doing and why: shared by the panel, the Runs view, the status bar and notifications. */
import { formatBytes } from '../format';
import type { ConcurrencyDecision, RunBest } from '../tuning/events';
import type { ParamValue, RunStatus, TrialStatus } from '../tuning/runFiles';
import type { RunHeader, TrialRow } from './runModel';

/** A metric value with as many digits as it needs: 0.91234 -> "0.9123", 1234.5 -> "1234.5". */
export function formatMetric(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return value.toFixed(1);
  if (abs >= 1) return String(Number(value.toPrecision(5)));
  return String(Number(value.toPrecision(4)));
}

/** 950 -> "950 ms", 12_300 -> "12.3 s", 125_000 -> "2 min 5 s". */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  const h = Math.floor(totalSeconds / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min ${s} s`;
}

/** Strings that would read as another value (None, a number, a bool) if shown bare. */
const AMBIGUOUS_STRING = /^(none|null|nan|[-+]?inf(inity)?|true|false|[-+]?(\d[\d_]*\.?\d*|\.\d+)(e[-+]?\d+)?)$/i;

/**
 * A param as the trial's Python code receives it: null is None; a string that reads like None, a
 * number or a bool is quoted ('None'), so a real None and the string 'None' never look the same.
 */
export function formatParamValue(value: ParamValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'None';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  if (typeof value === 'string' && (AMBIGUOUS_STRING.test(value.trim()) || value.trim() !== value || value === ''))
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return String(value);
}

/** {n_estimators: 200, max_depth: null} -> "n_estimators=200, max_depth=None". */
export function formatParams(params: Record<string, ParamValue>): string {
  return Object.entries(params)
    .map(([name, value]) => `${name}=${formatParamValue(value)}`)
    .join(', ');
}

const BOUND_WORDS: Record<ConcurrencyDecision['bound'], string> = {
  cpu: 'CPU-bound',
  memory: 'memory-bound',
  budget: 'held to the memory budget',
  probe: 'measuring the first trial',
  guard: 'memory guard lowered it',
  workers: 'limited by the workers setting',
  queue: 'no more trials queued',
  rung: 'waiting for the rung to finish',
  check: 'checking that the first trial works',
};

/**
 * The current concurrency and its reason in words, from the decision's fields:
 * "3 of 8 slots: memory-bound, 2.1 GiB available, 1.9 GiB per trial".
 */
export function describeConcurrency(d: ConcurrencyDecision): string {
  const head = `${d.allowed} of ${d.slots} slot${d.slots === 1 ? '' : 's'}`;
  const perTrial = d.perTrialBytes > 0 ? `${formatBytes(d.perTrialBytes)} per trial` : null;
  switch (d.bound) {
    case 'memory':
    case 'guard':
      return `${head}: ${BOUND_WORDS[d.bound]}, ${[`${formatBytes(d.availableBytes)} available`, perTrial].filter(Boolean).join(', ')}`;
    case 'budget':
      return `${head}: ${BOUND_WORDS.budget} of ${formatBytes(d.budgetBytes)}${perTrial ? `, ${perTrial}` : ''}`;
    case 'cpu':
      return `${head}: ${BOUND_WORDS.cpu}, every slot in use; ${[`${formatBytes(d.availableBytes)} available`, perTrial].filter(Boolean).join(', ')}`;
    default:
      return `${head}: ${BOUND_WORDS[d.bound] ?? d.bound}`;
  }
}

const STATUS_WORDS: Record<TrialStatus, string> = {
  queued: 'queued',
  running: 'running',
  done: 'done',
  failed: 'failed',
  timeout: 'timed out',
  killed: 'killed',
  pruned: 'pruned',
  cached: 'cached',
  cancelled: 'cancelled',
};

/** A trial's state with its reason: "failed: exit code 1", "cached from run-3/t0004", "pruned at step 3". */
export function trialStatusText(row: TrialRow): string {
  const word = STATUS_WORDS[row.status] ?? row.status;
  const attempt = row.attempt > 1 ? ` (attempt ${row.attempt})` : '';
  if (row.status === 'cached' && row.cachedFrom) return `cached from ${row.cachedFrom.runId}/${row.cachedFrom.trialId}`;
  if (row.status === 'pruned')
    return `pruned${row.step !== null ? ` at step ${row.step}` : ''}${row.error ? `: ${row.error}` : ''}`;
  if (row.status === 'running' && row.step !== null) return `running, step ${row.step}${attempt}`;
  if (row.error && row.status !== 'done') {
    // The engine's reason often starts with the status word already ("killed: memory pressure").
    const reason = row.error.toLowerCase().startsWith(row.status) ? row.error : `${word}: ${row.error}`;
    return `${reason}${attempt}`;
  }
  return `${word}${attempt}`;
}

const RUN_WORDS: Record<RunStatus, string> = {
  running: 'running',
  done: 'finished',
  failed: 'failed',
  stopped: 'stopped',
  interrupted: 'interrupted (resumable)',
};

export function runStatusText(status: RunStatus): string {
  return RUN_WORDS[status] ?? status;
}

/** "best accuracy 0.9123" or "no successful trial yet". */
export function bestText(metric: string, best: RunBest | null): string {
  return best ? `best ${metric} ${formatMetric(best.value)}` : 'no successful trial yet';
}

/** "12/27 done" where done counts every trial that reached a final state. */
export function progressText(finished: number, total: number): string {
  return `${finished}/${total}`;
}

/** The notification when a run ends. */
export function runEndMessage(header: RunHeader, finished: number, best: RunBest | null, failed: number): string {
  const name = `Tuning run "${header.name}"`;
  const verb =
    header.status === 'done' ? 'finished' : header.status === 'stopped' ? 'was stopped' : runStatusText(header.status);
  const trials = `${finished} of ${header.total} trial${header.total === 1 ? '' : 's'}`;
  const failures = failed > 0 ? `, ${failed} failed` : '';
  if (!best) return `${name} ${verb} after ${trials}${failures}: no trial succeeded.`;
  return `${name} ${verb} after ${trials}${failures}. Best ${header.metric} ${formatMetric(best.value)} with ${formatParams(best.params) || 'no params'}.`;
}

/** The status bar item of a running search: "$(beaker) rf-grid 12/27 · best 0.9123". */
export function searchStatusText(header: RunHeader, finished: number, best: RunBest | null, runningRuns = 1): string {
  const more = runningRuns > 1 ? ` (+${runningRuns - 1})` : '';
  const bestPart = best ? ` · best ${formatMetric(best.value)}` : '';
  return `$(beaker) ${header.name} ${progressText(finished, header.total)}${bestPart}${more}`;
}
