/**
 * The trials of a run waiting for a slot, in order, and the halving rung they belong to: fills the
 * queue from the search plan (skipping trials already final, so a resume runs only what is left),
 * moves to the next rung when one is complete, and announces every trial it queues.
 */
import type { RunEvent } from './events';
import type { TrialRecord } from './runFiles';
import type { Queued } from './schedulerTypes';
import { candidatesOf, halvingPlan, rungTrials } from './searchSpace';
import type { ResolvedSpec } from './types';

export class TrialQueue {
  private items: Queued[] = [];
  private current = 0;

  constructor(
    private readonly spec: ResolvedSpec,
    /** The latest record of each trial (the scheduler keeps it current). */
    private readonly latest: Map<string, TrialRecord>,
    private readonly emit: (event: RunEvent) => void,
  ) {}

  get rung(): number {
    return this.current;
  }

  get length(): number {
    return this.items.length;
  }

  /** The trial admission looks at next. */
  get next(): Queued | undefined {
    return this.items[0];
  }

  get all(): readonly Queued[] {
    return this.items;
  }

  shift(): Queued | undefined {
    return this.items.shift();
  }

  clear(): void {
    this.items = [];
  }

  /** Takes a queued trial out (Stop Trial before it started); undefined when it is not queued. */
  remove(trialId: string): Queued | undefined {
    const index = this.items.findIndex((q) => q.trialId === trialId);
    return index < 0 ? undefined : this.items.splice(index, 1)[0];
  }

  /** Queues the current rung's trials that are not final yet; moves past rungs that are complete. */
  fill(): void {
    for (;;) {
      const { trials, plan } = rungTrials(this.spec, this.current, this.latest.values());
      const pending = trials.filter((t) => this.latest.get(t.trialId)?.final !== true);
      if (plan) {
        const { fraction } = plan[this.current];
        this.emit({ type: 'rung', at: Date.now(), rung: this.current, fraction, candidates: trials.length });
      }
      if (pending.length > 0 || !plan || this.current >= plan.length - 1) {
        for (const t of pending)
          this.push({ ...t, attempt: (this.latest.get(t.trialId)?.attempt ?? 0) + 1, minForecast: 0 });
        return;
      }
      this.current++;
    }
  }

  /** Halving: when a rung is complete, queue the next one. False when there is none. */
  advance(): boolean {
    if (this.spec.search !== 'halving') return false;
    const plan = halvingPlan(candidatesOf(this.spec).length, this.spec.factor, this.spec.sample);
    if (this.current >= plan.length - 1) return false;
    this.current++;
    this.fill();
    return true;
  }

  /** Queues a trial (at the front: a trial requeued after a memory kill goes next). */
  push(q: Queued, front = false): void {
    if (front) this.items.unshift(q);
    else this.items.push(q);
    this.emit({
      type: 'trialQueued',
      at: Date.now(),
      trialId: q.trialId,
      params: q.params,
      rung: q.rung,
      fraction: q.fraction,
      attempt: q.attempt,
    });
  }
}
