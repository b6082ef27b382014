/**
 * Admission: how many trials may run at once, and why, in words. Pure function of the machine's
 * state and the run's memory picture, so the reasons are testable and a panel can plot them.
 */
import type { ConcurrencyBound, ConcurrencyDecision } from './events';
import { formatBytes } from '../format';

export interface AdmissionInput {
  /** CPU slots: cores / threadsPerTrial, or `workers` when the spec fixes it. */
  slots: number;
  /** Ceiling set by the memory guard after a kill (Infinity when it never fired). */
  guardLimit: number;
  running: { forecastBytes: number; currentBytes: number }[];
  /** Memory of idle objective worker processes (they hold their module's data). */
  idleBytes: number;
  availableBytes: number;
  reserveBytes: number;
  budgetBytes: number;
  /** Forecast for the next trial; null when nothing is known yet (first trial: probe alone). */
  nextForecastBytes: number | null;
  queued: number;
  cores: number;
  threadsPerTrial: number;
  workersFixed: boolean;
  /** The check before launch holds the others back until the first trial has shown it works. */
  launchCheck?: boolean;
}

const gib = (n: number) => formatBytes(n);

/** Trials get their threads capped by environment (pythonProcess.ts THREAD_ENV_VARS); the reason says so. */
function threadsText(threads: number): string {
  return `${threads} thread${threads === 1 ? '' : 's'} per trial (BLAS, OpenMP and joblib n_jobs=-1 capped to ${threads})`;
}

export function decide(input: AdmissionInput, at = Date.now()): ConcurrencyDecision {
  const running = input.running.length;
  const perTrial = input.nextForecastBytes ?? 0;
  // Memory the running trials may still grow into, by their forecasts.
  const growth = input.running.reduce((sum, r) => sum + Math.max(0, r.forecastBytes - r.currentBytes), 0);
  const headroom = input.availableBytes - input.reserveBytes - growth;
  const committed =
    input.running.reduce((sum, r) => sum + Math.max(r.forecastBytes, r.currentBytes), 0) + input.idleBytes;
  const fit = (room: number) => (perTrial > 0 ? Math.max(0, Math.floor(room / perTrial)) : Infinity);
  const candidates: [ConcurrencyBound, number][] = [
    [input.workersFixed ? 'workers' : 'cpu', input.slots],
    ['guard', input.guardLimit],
    ['memory', running + fit(headroom)],
    ['budget', running + fit(input.budgetBytes - committed)],
  ];
  if (input.launchCheck) candidates.push(['check', Math.max(1, running)]);
  if (input.nextForecastBytes === null) candidates.push(['probe', Math.max(1, running)]);
  let [bound, allowed] = candidates[0];
  for (const [b, n] of candidates) if (n < allowed) [bound, allowed] = [b, n];
  // One trial may always run when nothing runs: a trial too big for memory is caught by the guard and reported.
  if (allowed < 1 && running === 0) allowed = 1;
  allowed = Math.max(0, Math.min(allowed, input.slots));
  const of = `${allowed} of ${input.slots} slot${input.slots === 1 ? '' : 's'}`;
  let reason: string;
  switch (bound) {
    case 'cpu':
      reason = `${of}: CPU-bound, ${input.cores} core${input.cores === 1 ? '' : 's'}, ${threadsText(input.threadsPerTrial)}`;
      break;
    case 'workers':
      reason = `${of}: workers fixed at ${input.slots}`;
      break;
    case 'guard':
      reason = `${of}: lowered by the memory guard after memory ran short`;
      break;
    case 'memory':
      reason = `${of}: memory-bound, ${gib(Math.max(0, input.availableBytes - input.reserveBytes))} available, ${gib(perTrial)} per trial`;
      break;
    case 'budget':
      reason = `${of}: budget-bound, ${gib(Math.max(0, input.budgetBytes - committed))} of the ${gib(input.budgetBytes)} budget left, ${gib(perTrial)} per trial`;
      break;
    case 'check':
      reason = `${of}: checking that the first trial works before starting the others`;
      break;
    default:
      reason = `${of}: measuring the first trial's memory before starting more`;
  }
  if (input.queued === 0 && running > 0 && bound !== 'guard') reason += ' (queue empty)';
  return {
    at,
    allowed,
    slots: input.slots,
    running,
    bound,
    availableBytes: input.availableBytes,
    perTrialBytes: perTrial,
    budgetBytes: input.budgetBytes,
    reason,
  };
}

/** p95 of measured peaks (nearest rank). */
export function p95(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.95 * sorted.length) - 1)];
}

/** forecast = max(declared, footprint-based estimate, p95 of finished peaks, largest running tree seen). */
export function forecast(parts: {
  declared: number | null;
  dataEstimate: number | null;
  finishedPeaks: number[];
  runningPeak: number | null;
}): number | null {
  const known = [parts.declared, parts.dataEstimate, p95(parts.finishedPeaks), parts.runningPeak].filter(
    (v): v is number => v !== null && v > 0,
  );
  return known.length > 0 ? Math.max(...known) : null;
}
