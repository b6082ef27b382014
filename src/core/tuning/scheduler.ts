/**
 * Runs one search: feeds planned trials to the piscina pool as admission allows, supervises them
 * (timeouts, the memory guard, median pruning), records every outcome, advances halving rungs,
 * and emits the run's events. One instance per run; `engine.ts` builds it.
 */
import { existsSync } from 'node:fs';
import type { Piscina } from 'piscina';
import type { ConcurrencyDecision, RunEvent } from './events';
import type { TrialRecord } from './runFiles';
import type { TrialWorkerMessage } from './workerProtocol';
import { decide, forecast } from './admission';
import { cacheKey, type SpecFingerprint } from './cache';
import { guardDecision } from './memoryGuard';
import { readAvailableMemory } from './memoryProbe';
import { LaunchCheck, launchCheckMessage } from './launchCheck';
import { isAlive, killTree, quickTreeTable, sampleTree } from './processTree';
import { cachedRecord, shouldPrune, toRecord } from './records';
import { bestOf, latestByTrial, type RunStore } from './runStore';
import {
  buildTask,
  dispatch,
  type Queued,
  type Running,
  type RunSnapshot,
  type SchedulerConfig,
  type WorkerOutcome,
} from './schedulerTypes';
import { candidatesOf, halvingPlan, rungTrials } from './searchSpace';
import { emptyOutcome, type ResolvedSpec } from './types';

export type { RunSnapshot, SchedulerConfig } from './schedulerTypes';

/** A trial the user stopped on its own: final (never rerun), with that reason. */
function stoppedAlone(record: TrialRecord): TrialRecord {
  return { ...record, status: 'cancelled', final: true, error: 'stopped on its own (Stop Trial); the run went on' };
}

export class RunScheduler {
  private queue: Queued[] = [];
  private readonly running = new Map<string, Running>();
  private readonly latest: Map<string, TrialRecord>;
  private readonly peaks: number[] = [];
  private readonly idleWorkers = new Map<number, number>();
  private readonly knownPids = new Set<number>();
  private readonly steps = new Map<number, Map<string, number>>();
  private guardLimit = Infinity;
  private rung = 0;
  private lastDecision: ConcurrencyDecision | null = null;
  private stopping = false;
  private ended = false;
  private fatal: string | null = null;
  private guardTimer: NodeJS.Timeout | null = null;
  private readonly launchCheck: LaunchCheck;
  private finished!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(
    private readonly spec: ResolvedSpec,
    private readonly store: RunStore,
    private readonly pool: Piscina,
    private readonly fp: SpecFingerprint,
    private readonly cacheIndex: Map<string, TrialRecord>,
    private readonly cfg: SchedulerConfig,
    private readonly emit: (event: RunEvent) => void,
  ) {
    this.latest = latestByTrial(store.readTrials());
    for (const r of this.latest.values())
      if (r.status === 'done' && r.final) this.peaks.push(r.peakPssBytes ?? r.peakRssBytes);
    const succeeded = [...this.latest.values()].some((r) => r.status === 'done' || r.status === 'cached');
    this.launchCheck = new LaunchCheck(succeeded || cfg.launchCheck === false);
  }

  get fatalError(): string | null {
    return this.fatal;
  }

  /** Runs to the end (or until stop()); resolves when every trial process is gone. */
  async run(): Promise<void> {
    this.guardTimer = setInterval(() => this.guardTick(), this.cfg.guardIntervalMs);
    this.enqueueRung();
    this.pump();
    await this.done;
    clearInterval(this.guardTimer);
    // Let the worker threads reap what was killed before the pool goes, or the processes stay zombies.
    const until = Date.now() + 3000;
    const unreaped = () => [...this.knownPids].some((pid) => existsSync(`/proc/${pid}`));
    while (unreaped() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  }

  stop(): void {
    this.stopping = true;
    this.queue = [];
    for (const r of this.running.values()) this.kill(r, 'cancel', null, false);
    this.pump();
  }

  /**
   * Stops one trial and lets the run go on: a running one has its process tree killed, a queued one
   * is dropped. Either is recorded as cancelled and final (a resume does not run it again).
   */
  stopTrial(trialId: string): boolean {
    if (this.stopping || this.ended) return false;
    const r = this.running.get(trialId);
    if (r) {
      if (r.kill) return false;
      r.stoppedAlone = true;
      this.kill(r, 'cancel', null, false);
      this.emit({ type: 'log', at: Date.now(), level: 'info', message: `${trialId}: stopped on its own` });
      return true;
    }
    const index = this.queue.findIndex((q) => q.trialId === trialId);
    if (index < 0) return false;
    const [q] = this.queue.splice(index, 1);
    const now = Date.now();
    const record = toRecord(
      {
        runId: this.store.runId,
        planned: q,
        attempt: q.attempt,
        metric: this.spec.metric,
        cacheKey: cacheKey(this.spec, this.fp, q.params, q.fraction),
        logFile: this.store.logPath(q.trialId, q.attempt).slice(this.store.dir.length + 1),
        intermediate: [],
        timeoutMs: this.spec.resources.timeoutMs,
        requeued: false,
        killNote: null,
        pruned: false,
      },
      emptyOutcome({ status: 'failed', startedAt: now, endedAt: now, killReason: 'cancel' }),
    );
    this.emit({ type: 'log', at: now, level: 'info', message: `${trialId}: stopped on its own before it started` });
    this.record(stoppedAlone(record));
    this.pump();
    return true;
  }

  /** Best finished trial so far. */
  best(): TrialRecord | null {
    return bestOf(this.latest.values(), this.spec.mode);
  }

  private isFinal(trialId: string): boolean {
    return this.latest.get(trialId)?.final === true;
  }

  /** Queues the current rung's trials that are not final yet; moves past rungs that are complete. */
  private enqueueRung(): void {
    for (;;) {
      const { trials, plan } = rungTrials(this.spec, this.rung, this.latest.values());
      const pending = trials.filter((t) => !this.isFinal(t.trialId));
      if (plan) {
        const { fraction } = plan[this.rung];
        this.emit({ type: 'rung', at: Date.now(), rung: this.rung, fraction, candidates: trials.length });
      }
      if (pending.length > 0 || !plan || this.rung >= plan.length - 1) {
        for (const t of pending) this.enqueue({ ...t, attempt: this.attemptsOf(t.trialId) + 1, minForecast: 0 });
        return;
      }
      this.rung++;
    }
  }

  private attemptsOf(trialId: string): number {
    return this.latest.get(trialId)?.attempt ?? 0;
  }

  private enqueue(q: Queued, front = false): void {
    if (front) this.queue.unshift(q);
    else this.queue.push(q);
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

  private nextForecast(q: Queued | undefined): number | null {
    const runningPeak = Math.max(0, ...[...this.running.values()].map((r) => r.peakBytes));
    const f = forecast({
      declared: this.spec.resources.memoryPerTrial,
      dataEstimate: this.cfg.dataEstimateBytes === null ? null : this.cfg.dataEstimateBytes * (q?.fraction ?? 1),
      finishedPeaks: this.peaks,
      runningPeak: runningPeak > 0 ? runningPeak : null,
    });
    return q && q.minForecast > 0 ? Math.max(f ?? 0, q.minForecast) : f;
  }

  private decision(): ConcurrencyDecision {
    const mem = readAvailableMemory();
    const idleBytes = [...this.idleWorkers.values()].reduce((a, b) => a + b, 0);
    return decide({
      slots: this.cfg.slots,
      guardLimit: this.guardLimit,
      running: [...this.running.values()].map((r) => ({
        forecastBytes: r.forecastBytes,
        currentBytes: r.currentBytes,
      })),
      idleBytes,
      availableBytes: mem.availableBytes,
      reserveBytes: this.cfg.reserveBytes,
      budgetBytes: this.cfg.budgetBytes,
      nextForecastBytes: this.nextForecast(this.queue[0]),
      queued: this.queue.length,
      cores: this.cfg.cores,
      threadsPerTrial: this.spec.resources.threadsPerTrial,
      workersFixed: this.cfg.workersFixed,
      launchCheck: this.launchCheck.holdsOthers(),
    });
  }

  snapshot(): RunSnapshot {
    return {
      running: [...this.running.values()].map((r) => ({
        trialId: r.q.trialId,
        attempt: r.q.attempt,
        pid: r.pid,
        startedAt: r.startedAt,
        params: r.q.params,
        forecastBytes: r.forecastBytes,
      })),
      queued: this.queue.map((q) => ({ trialId: q.trialId, attempt: q.attempt, params: q.params })),
      decision: this.lastDecision,
      rung: this.rung,
    };
  }

  private announce(d: ConcurrencyDecision): void {
    if (d.reason === this.lastDecision?.reason) return;
    this.lastDecision = d;
    this.emit({ type: 'concurrency', at: d.at, decision: d });
  }

  /** Starts what admission allows; finishes the run when nothing is left. */
  private pump(): void {
    while (!this.stopping && this.queue.length > 0) {
      const q = this.queue[0];
      const key = cacheKey(this.spec, this.fp, q.params, q.fraction);
      const hit = this.cfg.useCache ? this.cacheIndex.get(key) : undefined;
      if (hit && this.spec.metric in hit.metrics) {
        this.queue.shift();
        this.record(cachedRecord(this.store.runId, q, hit, this.spec.metric));
        continue;
      }
      const d = this.decision();
      this.announce(d);
      if (this.running.size >= d.allowed) break;
      this.queue.shift();
      this.start(q, key, this.nextForecast(q) ?? 0);
    }
    if (this.running.size > 0 || this.ended) return;
    if (!this.stopping && this.queue.length === 0 && this.advanceRung()) return this.pump();
    this.finishRun();
  }

  /** Halving: when a rung is complete, queue the next one. False when there is none. */
  private advanceRung(): boolean {
    if (this.spec.search !== 'halving') return false;
    const plan = halvingPlan(candidatesOf(this.spec).length, this.spec.factor, this.spec.sample);
    if (this.rung >= plan.length - 1) return false;
    this.rung++;
    this.enqueueRung();
    return true;
  }

  private finishRun(): void {
    this.ended = true;
    for (const pid of this.knownPids) killTree(pid, 'SIGKILL');
    this.finished();
  }

  private start(q: Queued, key: string, forecastBytes: number): void {
    const logPath = this.store.logPath(q.trialId, q.attempt);
    const task = buildTask(this.spec, this.cfg, this.fp, q, logPath, {
      runId: this.store.runId,
      runDir: this.store.dir,
    });
    const { port, outcome } = dispatch(this.pool, task, (m) => this.onWorkerMessage(r, m));
    const r: Running = {
      q,
      port,
      pid: 0,
      startedAt: Date.now(),
      forecastBytes,
      currentBytes: 0,
      peakBytes: 0,
      timer: null,
      kill: null,
      killNote: null,
      requeue: false,
      pruned: false,
      intermediate: [],
      usage: null,
      logFile: logPath.slice(this.store.dir.length + 1),
    };
    this.running.set(q.trialId, r);
    this.launchCheck.started();
    void outcome.then((o) => this.onOutcome(r, key, logPath, o));
  }

  private onWorkerMessage(r: Running, m: TrialWorkerMessage): void {
    if (m.type === 'spawned') {
      r.pid = m.pid;
      this.knownPids.add(m.pid);
      this.idleWorkers.delete(m.pid);
      if (this.spec.resources.timeoutMs !== null)
        r.timer = setTimeout(() => this.kill(r, 'timeout', null, false), this.spec.resources.timeoutMs);
      this.emit({
        type: 'trialStarted',
        at: Date.now(),
        trialId: r.q.trialId,
        attempt: r.q.attempt,
        pid: m.pid,
        forecastBytes: r.forecastBytes,
        logFile: r.logFile,
      });
      if (r.kill) r.port.postMessage({ type: 'kill', reason: r.kill });
    } else if (m.type === 'usage') {
      const first = r.usage === null;
      r.usage = m.usage;
      r.currentBytes = m.usage.pssBytes ?? m.usage.rssBytes;
      r.peakBytes = Math.max(r.peakBytes, r.currentBytes);
      // A first measurement may be what admission was waiting for (probe): decide now, not at the next tick.
      if (first && this.queue.length > 0) this.pump();
    } else if (m.type === 'report') {
      r.intermediate.push({ step: m.step, metrics: m.metrics });
      this.emit({ type: 'trialProgress', at: Date.now(), trialId: r.q.trialId, step: m.step, metrics: m.metrics });
      const value = m.metrics[this.spec.metric];
      const atStep = this.steps.get(m.step) ?? new Map<string, number>();
      this.steps.set(m.step, atStep);
      const others = [...atStep.entries()].filter(([id]) => id !== r.q.trialId).map(([, v]) => v);
      if (value !== undefined) atStep.set(r.q.trialId, value);
      if (!m.wait) return;
      const prune =
        value !== undefined &&
        this.spec.prune === 'median' &&
        shouldPrune(value, others, this.spec.mode, this.cfg.pruneMinTrials);
      r.port.postMessage({ type: 'pruneDecision', prune });
      if (prune) {
        r.pruned = true;
        this.kill(r, 'prune', null, false);
      }
    }
  }

  private kill(r: Running, reason: NonNullable<Running['kill']>, note: string | null, requeue: boolean): void {
    if (r.kill) return;
    r.kill = reason;
    r.killNote = note;
    r.requeue = requeue;
    r.port.postMessage({ type: 'kill', reason });
  }

  private onOutcome(r: Running, key: string, logPath: string, o: WorkerOutcome): void {
    if (r.timer) clearTimeout(r.timer);
    r.port.close();
    this.running.delete(r.q.trialId);
    if (r.kill && !o.killReason) o.killReason = r.kill;
    if (r.kill === 'memory' || r.kill === 'budget') o.killReason = r.kill;
    const requeue = r.requeue && !this.stopping && r.q.attempt < this.cfg.maxMemoryAttempts;
    if (r.requeue && !requeue && r.killNote && !this.stopping) r.killNote += ` (gave up after ${r.q.attempt} attempts)`;
    const record = toRecord(
      {
        runId: this.store.runId,
        planned: r.q,
        attempt: r.q.attempt,
        metric: this.spec.metric,
        cacheKey: key,
        logFile: logPath.slice(this.store.dir.length + 1),
        intermediate: r.intermediate,
        timeoutMs: this.spec.resources.timeoutMs,
        requeued: requeue,
        killNote: r.killNote,
        pruned: r.pruned,
      },
      o,
    );
    if (r.stoppedAlone && record.status === 'cancelled') Object.assign(record, stoppedAlone(record));
    if (record.status === 'done') this.peaks.push(record.peakPssBytes ?? record.peakRssBytes);
    if (this.spec.kind === 'objective' && r.pid && isAlive(r.pid) && !o.killReason)
      this.idleWorkers.set(r.pid, r.currentBytes);
    else if (r.pid) this.idleWorkers.delete(r.pid);
    this.record(record);
    if (requeue)
      this.enqueue(
        {
          ...r.q,
          attempt: r.q.attempt + 1,
          minForecast: Math.max(r.peakBytes, record.peakPssBytes ?? record.peakRssBytes),
        },
        true,
      );
    if (o.workerFailed && !this.fatal) {
      const poolBroken = o.error?.startsWith('tuning worker') === true;
      this.fatal = poolBroken ? String(o.error) : `objective worker could not start: ${o.error}`;
      this.emit({ type: 'log', at: Date.now(), level: 'error', message: this.fatal });
      this.stop();
      // Tasks of a broken pool may never settle: end them (their processes are killed by pid at the end).
      if (poolBroken) void this.pool.destroy().catch(() => undefined);
    }
    this.pump();
  }

  private record(record: TrialRecord): void {
    this.store.append(record);
    this.latest.set(record.trialId, record);
    this.emit({ type: 'trialFinished', at: Date.now(), record, best: this.bestSummary() });
    const verdict = this.launchCheck.observe(record);
    if (verdict.stop && !this.fatal && !this.stopping) {
      this.fatal = launchCheckMessage(verdict, record.logFile);
      this.emit({ type: 'log', at: Date.now(), level: 'error', message: this.fatal });
      this.stop();
    }
  }

  private bestSummary() {
    const b = this.best();
    return b ? { trialId: b.trialId, params: b.params, metrics: b.metrics, value: b.value! } : null;
  }

  /** Twice a second: the memory guard, the budget, live usage for the views, and admission again. */
  private guardTick(): void {
    if (this.ended) return;
    const now = Date.now();
    const running = [...this.running.values()].filter((r) => r.pid > 0 && !r.kill);
    if (running.some((r) => r.usage)) {
      this.emit({ type: 'trialUsage', at: now, usage: running.flatMap((r) => (r.usage ? [r.usage] : [])) });
    }
    // The pid is the supervisor's: what the idle worker holds is the rest of its tree.
    for (const pid of this.idleWorkers.keys())
      this.idleWorkers.set(pid, sampleTree(pid, quickTreeTable(pid), false).rssBytes);
    const mem = readAvailableMemory();
    // While a kill is in progress its memory is not free yet: judge again once it is gone.
    const dying = [...this.running.values()].some((r) => r.kill === 'memory' || r.kill === 'budget');
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
      this.kill(this.running.get(action.trialId)!, action.reason, action.note, action.requeue);
    }
    this.pump();
  }
}
