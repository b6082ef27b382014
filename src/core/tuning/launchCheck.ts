/**
 * The check before launch: a run's first trial runs alone, and the run stops when its first trials
 * all fail the same way. A script that cannot import pandas, or never reports the metric, fails every
 * trial identically; running them all only burns the machine and buries the one error under N copies.
 *
 * Holding the others back ends at the first trial that succeeds (or is cached), at a failure unlike
 * the ones before (the failures then depend on params), at a kill (memory, timeout: not a script
 * bug), or after `aloneMs` (a trial that long into its work is past its imports and data loading).
 * Stopping needs `sameFailures` identical failures before any success.
 */
import type { TrialRecord } from './runFiles';

export const LAUNCH_CHECK_SAME_FAILURES = 2;
export const LAUNCH_CHECK_ALONE_MS = 120_000;

export type LaunchVerdict = { stop: false } | { stop: true; error: string; failures: number };

export class LaunchCheck {
  private checking: boolean;
  private readonly failures: string[] = [];
  private firstStartedAt: number | null = null;

  constructor(
    /** A resumed run that already has a success needs no check. */
    alreadySucceeded: boolean,
    private readonly sameFailures = LAUNCH_CHECK_SAME_FAILURES,
    private readonly aloneMs = LAUNCH_CHECK_ALONE_MS,
  ) {
    this.checking = !alreadySucceeded;
  }

  /** True while the first trial must run alone. */
  holdsOthers(now = Date.now()): boolean {
    return this.checking && (this.firstStartedAt === null || now - this.firstStartedAt < this.aloneMs);
  }

  /** Still judging the first outcomes (for the concurrency reason). */
  get active(): boolean {
    return this.checking;
  }

  started(now = Date.now()): void {
    if (this.firstStartedAt === null) this.firstStartedAt = now;
  }

  /** Feeds a final or retried outcome; says whether the run should stop, with the one error to show. */
  observe(record: TrialRecord): LaunchVerdict {
    if (!this.checking) return { stop: false };
    if (record.status === 'cancelled') return { stop: false };
    if (record.status !== 'failed') {
      this.checking = false;
      return { stop: false };
    }
    const error = normalized(record.error ?? 'failed');
    if (this.failures.length > 0 && this.failures[0] !== error) {
      this.checking = false;
      return { stop: false };
    }
    this.failures.push(error);
    if (this.failures.length < this.sameFailures) return { stop: false };
    this.checking = false;
    return { stop: true, error: record.error ?? 'failed', failures: this.failures.length };
  }
}

/** The message a stopped run shows (panel, CLI, run.json). */
export function launchCheckMessage(verdict: { error: string; failures: number }, logFile: string): string {
  return `stopped after the first ${verdict.failures} trials all failed the same way (see ${logFile}): ${verdict.error}`;
}

function normalized(error: string): string {
  return error.replace(/\s+/g, ' ').trim();
}
