/**
 * Runs one search: feeds planned trials to the piscina pool as admission allows, supervises them
 * (timeouts, the memory guard, median pruning), records every outcome, advances halving rungs,
 * and emits the run's events. One instance per run; `engine.ts` builds it. The queue and its rungs
 * are trialQueue.ts; forecasts, admission and the memory guard's state are runMemory.ts.
 */
import { existsSync } from 'node:fs';
import type { Piscina } from 'piscina';
import type { RunEvent } from './events';
import type { TrialRecord } from './runFiles';
import type { TrialWorkerMessage } from './workerProtocol';
import { cacheKey, type SpecFingerprint } from './cache';
import { LaunchCheck, launchCheckMessage } from './launchCheck';
import { isAlive, killTree } from './processTree';
import { cachedRecord, shouldPrune, toRecord } from './records';
import { RunMemory } from './runMemory';
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
import { TrialQueue } from './trialQueue';
import { emptyOutcome, type ResolvedSpec } from './types';

export type { RunSnapshot, SchedulerConfig } from './schedulerTypes';

/** A trial the user stopped on its own: final (never rerun), with that reason. */
function stoppedAlone(record: TrialRecord): TrialRecord {
  return { ...record, status: 'cancelled', final: true, error: 'stopped on its own (Stop Trial); the run went on' };
}

export class RunScheduler {
  private readonly queue: TrialQueue;
  private readonly memory: RunMemory;
  private readonly running = new Map<string, Running>();
  private readonly latest: Map<string, TrialRecord>;
  private readonly knownPids = new Set<number>();
  private readonly steps = new Map<number, Map<string, number>>();
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
    this.queue = new TrialQueue(spec, this.latest, emit);
    this.memory = new RunMemory(spec, cfg, emit, this.latest.values());
    const succeeded = [...this.latest.values()].some((r) => r.status === 'done' || r.status === 'cached');
    this.launchCheck = new LaunchCheck(succeeded || cfg.launchCheck === false);
  }

  get fatalError(): string | null {
    return this.fatal;
  }

  /** Runs to the end (or until stop()); resolves when every trial process is gone. */
  async run(): Promise<void> {
    this.guardTimer = setInterval(() => this.guardTick(), this.cfg.guardIntervalMs);
    this.queue.fill();
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
    this.queue.clear();
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
    const q = this.queue.remove(trialId);
    if (!q) return false;
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
      queued: this.queue.all.map((q) => ({ trialId: q.trialId, attempt: q.attempt, params: q.params })),
      decision: this.memory.lastDecision,
      rung: this.queue.rung,
    };
  }

  /** Starts what admission allows; finishes the run when nothing is left. */
  private pump(): void {
    for (let q = this.queue.next; !this.stopping && q; q = this.queue.next) {
      const key = cacheKey(this.spec, this.fp, q.params, q.fraction);
      const hit = this.cfg.useCache ? this.cacheIndex.get(key) : undefined;
      if (hit && this.spec.metric in hit.metrics) {
        this.queue.shift();
        this.record(cachedRecord(this.store.runId, q, hit, this.spec.metric));
        continue;
      }
      const d = this.memory.admit(this.running, q, this.queue.length, this.launchCheck.holdsOthers());
      if (this.running.size >= d.allowed) break;
      this.queue.shift();
      this.start(q, key, this.memory.forecast(q, this.running.values()) ?? 0);
    }
    if (this.running.size > 0 || this.ended) return;
    if (!this.stopping && this.queue.length === 0 && this.queue.advance()) return this.pump();
    this.finishRun();
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
      this.memory.busy(m.pid);
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
    this.memory.recorded(record);
    if (r.pid)
      this.memory.afterTrial(r.pid, this.spec.kind === 'objective' && isAlive(r.pid) && !o.killReason, r.currentBytes);
    this.record(record);
    if (requeue)
      this.queue.push(
        {
          ...r.q,
          attempt: r.q.attempt + 1,
          minForecast: Math.max(r.peakBytes, record.peakPssBytes ?? record.peakRssBytes ?? 0),
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
    const dying = [...this.running.values()].some((r) => r.kill === 'memory' || r.kill === 'budget');
    const kill = this.memory.guard(running, dying, now);
    if (kill) this.kill(this.running.get(kill.trialId)!, kill.reason, kill.note, kill.requeue);
    this.pump();
  }
}
