/**
 * A run's memory, as the scheduler sees it: what the next trial is forecast to need (from the
 * trials that finished, those running and the data estimate), how many trials admission allows now
 * (announced when its reason changes), the objective worker processes idle between trials, and the
 * memory guard's verdict on each tick. The policies themselves are pure (admission.ts, memoryGuard.ts).
 */
import type { ConcurrencyDecision, RunEvent } from './events';
import type { TrialRecord } from './runFiles';
import type { Queued, Running, SchedulerConfig } from './schedulerTypes';
import { decide } from './admission';
import { PeakHistory } from './peakHistory';
import { guardDecision } from './memoryGuard';
import { readAvailableMemory } from './memoryProbe';
import { killTree, quickTreeTable, sampleTree } from './processTree';
import type { ResolvedSpec } from './types';

/** A trial the guard decided to kill. */
export interface GuardKill {
  trialId: string;
  reason: 'memory' | 'budget';
  note: string;
  requeue: boolean;
}

export class RunMemory {
  /** Peaks of the trials that finished well: the forecast's history. */
  private readonly peaks: PeakHistory;
  /** Objective worker processes (supervisor pid) idle between trials, with the bytes they hold. */
  private readonly idleWorkers = new Map<number, number>();
  /** Concurrency the guard lowered the run to after a kill. */
  private guardLimit = Infinity;
  private last: ConcurrencyDecision | null = null;

  constructor(
    private readonly spec: ResolvedSpec,
    private readonly cfg: SchedulerConfig,
    private readonly emit: (event: RunEvent) => void,
    earlier: Iterable<TrialRecord>,
  ) {
    this.peaks = new PeakHistory(earlier);
  }

  /** The last admission decision announced (for a view that opens mid-run). */
  get lastDecision(): ConcurrencyDecision | null {
    return this.last;
  }

  /** A trial record was written: a finished trial's peak joins the history. */
  recorded(record: TrialRecord): void {
    this.peaks.recorded(record);
  }

  /** A worker process started a trial: it is not idle. */
  busy(pid: number): void {
    this.idleWorkers.delete(pid);
  }

  /** A trial's worker process stays for the next trial (objective mode) holding `bytes`, or is gone. */
  afterTrial(pid: number, stays: boolean, bytes: number): void {
    if (stays) this.idleWorkers.set(pid, bytes);
    else this.idleWorkers.delete(pid);
  }

  /** Bytes the trial `q` (the next one when undefined) is forecast to need; null while nothing is known. */
  forecast(q: Queued | undefined, running: Iterable<Running>): number | null {
    const runningPeaks = [...running].map((r) => r.peakBytes);
    return this.peaks.forecast(this.spec, this.cfg.dataEstimateBytes, q, runningPeaks);
  }

  /** How many trials may run now; a decision whose reason changed is announced. */
  admit(running: Map<string, Running>, next: Queued | undefined, queued: number, launchCheck: boolean) {
    const mem = readAvailableMemory();
    const idleBytes = [...this.idleWorkers.values()].reduce((a, b) => a + b, 0);
    const d = decide({
      slots: this.cfg.slots,
      guardLimit: this.guardLimit,
      running: [...running.values()].map((r) => ({
        forecastBytes: r.forecastBytes,
        currentBytes: r.currentBytes,
      })),
      idleBytes,
      availableBytes: mem.availableBytes,
      reserveBytes: this.cfg.reserveBytes,
      budgetBytes: this.cfg.budgetBytes,
      nextForecastBytes: this.forecast(next, running.values()),
      queued,
      cores: this.cfg.cores,
      threadsPerTrial: this.spec.resources.threadsPerTrial,
      workersFixed: this.cfg.workersFixed,
      launchCheck,
    });
    if (d.reason !== this.last?.reason) {
      this.last = d;
      this.emit({ type: 'concurrency', at: d.at, decision: d });
    }
    return d;
  }

  /**
   * The guard's tick: measures the idle workers, kills one if that is enough, else names the trial
   * to kill (announced, with the lowered concurrency). `dying`: a kill is in progress, whose memory
   * is not free yet, so the guard judges again once it is gone.
   */
  guard(running: Running[], dying: boolean, now: number): GuardKill | null {
    // The pid is the supervisor's: what the idle worker holds is the rest of its tree.
    for (const pid of this.idleWorkers.keys())
      this.idleWorkers.set(pid, sampleTree(pid, quickTreeTable(pid), false).rssBytes);
    const mem = readAvailableMemory();
    const action = dying
      ? ({ kind: 'none' } as const)
      : guardDecision({
          running: running.map((r) => ({ trialId: r.q.trialId, startedAt: r.startedAt, currentBytes: r.currentBytes })),
          idle: this.idleWorkers,
          availableBytes: mem.availableBytes,
          criticalBytes: this.cfg.criticalBytes,
          budgetBytes: this.cfg.budgetBytes,
        });
    if (action.kind === 'killIdle') {
      this.idleWorkers.delete(action.pid);
      killTree(action.pid, 'SIGKILL');
    } else if (action.kind === 'killTrial') {
      if (action.guardLimit !== null) this.guardLimit = Math.min(this.guardLimit, action.guardLimit);
      const then = action.requeue ? `; requeued, concurrency lowered to ${this.guardLimit}` : '';
      this.emit({
        type: 'memoryGuard',
        at: now,
        trialId: action.trialId,
        availableBytes: mem.availableBytes,
        criticalBytes: this.cfg.criticalBytes,
        action: action.note + then,
      });
      return { trialId: action.trialId, reason: action.reason, note: action.note, requeue: action.requeue };
    }
    return null;
  }
}
