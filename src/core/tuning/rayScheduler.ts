/**
 * Runs one search on a Ray cluster, with the local scheduler's queue, records, rungs and events; each
 * trial is a task (or an objective actor's call) of the run's driver (rayDriver.ts). Memory kills are
 * requeued once with 1.5 x the measured peak (capped at the largest node), trials lost with a node or
 * worker run again elsewhere, recorded with the node; no finished trial runs twice.
 */
import type { ConcurrencyDecision, RunEvent } from './events';
import type { TrialRecord } from './runFiles';
import { cacheKey, type SpecFingerprint } from './cache';
import { decideCluster, largestNodeMemory } from './rayAdmission';
import type { DriverMessage, RayDriver, RayNodeState } from './rayDriver';
import { PeakHistory } from './peakHistory';
import { lostOutcome, rayOutcome, type RayResult } from './rayOutcome';
import { cachedRecord, toRecord } from './records';
import { bestOf, latestByTrial, type RunStore } from './runStore';
import type { Queued, RunSnapshot } from './schedulerTypes';
import {
  clusterNodes,
  flightSnapshot,
  MAX_LOSSES,
  trialPayload,
  type Flight,
  type RayQueued,
  type RaySchedulerConfig,
} from './rayTrial';
import { candidatesOf, halvingPlan, rungTrials } from './searchSpace';
import type { ResolvedSpec, TrialOutcome } from './types';

export type { RaySchedulerConfig } from './rayTrial';

export class RayScheduler {
  private queue: RayQueued[] = [];
  private readonly flights = new Map<string, Flight>();
  private readonly latest: Map<string, TrialRecord>;
  private readonly peaks: PeakHistory;
  private nodes: RayNodeState[];
  private rung = 0;
  private lastDecision: ConcurrencyDecision | null = null;
  private stopping = false;
  private ended = false;
  private fatal: string | null = null;
  /** Set when the connection to the cluster was lost: the run is interrupted, resumable. */
  interrupted: string | null = null;
  private finished!: () => void;
  private readonly done = new Promise<void>((resolve) => (this.finished = resolve));

  constructor(
    private readonly spec: ResolvedSpec,
    private readonly store: RunStore,
    private readonly driver: RayDriver,
    private readonly fp: SpecFingerprint,
    private readonly cacheIndex: Map<string, TrialRecord>,
    private readonly cfg: RaySchedulerConfig,
    private readonly emit: (event: RunEvent) => void,
  ) {
    this.nodes = cfg.nodes;
    this.latest = latestByTrial(store.readTrials());
    this.peaks = new PeakHistory(this.latest.values());
    driver.onMessage((m) => this.onMessage(m));
    void driver.exited.then(({ error }) => this.onDriverExit(error));
  }

  get fatalError(): string | null {
    return this.fatal;
  }

  async run(): Promise<void> {
    for (const message of this.driver.connectLog)
      this.emit({ type: 'log', at: Date.now(), level: 'info', message: `ray: ${message}` });
    this.emitCluster();
    this.enqueueRung();
    this.pump();
    await this.done;
    await this.driver.close();
  }

  stop(): void {
    this.stopping = true;
    this.queue = [];
    for (const f of this.flights.values()) this.cancel(f, 'cancel');
    // A driver that cannot answer (its head gone) must not hold the stop: killing it ends the run's tasks.
    if (this.flights.size > 0) setTimeout(() => this.driver.kill(), 15_000).unref();
    this.pump();
  }

  stopTrial(trialId: string): boolean {
    if (this.stopping || this.ended) return false;
    const f = this.flights.get(trialId);
    if (f) {
      if (f.kill) return false;
      f.stoppedAlone = true;
      this.cancel(f, 'cancel');
      return true;
    }
    const index = this.queue.findIndex((q) => q.trialId === trialId);
    if (index < 0) return false;
    const [q] = this.queue.splice(index, 1);
    this.record(
      this.recordOf(
        q,
        lostOutcome({ startedAt: Date.now(), usageAt: 0, peakBytes: 0, cpuMs: 0 }, 'cancel'),
        null,
        null,
      ),
      true,
    );
    this.pump();
    return true;
  }

  snapshot(): RunSnapshot {
    const queued = this.queue.map((q) => ({ trialId: q.trialId, attempt: q.attempt, params: q.params }));
    return {
      ...flightSnapshot(this.nodes, this.flights.values()),
      queued,
      decision: this.lastDecision,
      rung: this.rung,
    };
  }

  private enqueueRung(): void {
    for (;;) {
      const { trials, plan } = rungTrials(this.spec, this.rung, this.latest.values());
      const pending = trials.filter((t) => this.latest.get(t.trialId)?.final !== true);
      if (plan) {
        const { fraction } = plan[this.rung];
        this.emit({ type: 'rung', at: Date.now(), rung: this.rung, fraction, candidates: trials.length });
      }
      if (pending.length > 0 || !plan || this.rung >= plan.length - 1) {
        for (const t of pending)
          this.enqueue({ ...t, attempt: (this.latest.get(t.trialId)?.attempt ?? 0) + 1, minForecast: 0 });
        return;
      }
      this.rung++;
    }
  }

  private enqueue(q: RayQueued, front = false): void {
    if (front) this.queue.unshift(q);
    else this.queue.push(q);
    const { trialId, params, rung, fraction, attempt } = q;
    this.emit({ type: 'trialQueued', at: Date.now(), trialId, params, rung, fraction, attempt });
  }

  /** Memory the trial asks Ray for: the forecast as locally (declared, data x copies, measured peaks). */
  private memoryFor(q: RayQueued): number {
    const runningPeaks = [...this.flights.values()].map((f) => f.peakBytes);
    const f = this.peaks.forecast(this.spec, this.cfg.dataEstimateBytes, q, runningPeaks) ?? 0;
    return Math.min(f, largestNodeMemory(this.nodes) || Infinity);
  }

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
      const memoryBytes = this.memoryFor(q);
      const d = decideCluster({
        nodes: this.nodes,
        threadsPerTrial: this.spec.resources.threadsPerTrial,
        workers: this.cfg.workers,
        inFlight: [...this.flights.values()].map((f) => ({ nodeId: f.nodeId, memoryBytes: f.memoryBytes })),
        nextMemoryBytes: memoryBytes,
        queued: this.queue.length,
      });
      if (d.reason !== this.lastDecision?.reason) {
        this.lastDecision = d;
        this.emit({ type: 'concurrency', at: d.at, decision: d });
      }
      if (!d.canStart) break;
      this.queue.shift();
      this.submit(q, memoryBytes);
    }
    if (this.flights.size > 0 || this.ended) return;
    if (!this.stopping && this.queue.length === 0 && this.advanceRung()) return this.pump();
    if (this.stopping || this.queue.length === 0) this.finishRun();
  }

  private advanceRung(): boolean {
    if (this.spec.search !== 'halving') return false;
    const plan = halvingPlan(candidatesOf(this.spec).length, this.spec.factor, this.spec.sample);
    if (this.rung >= plan.length - 1) return false;
    this.rung++;
    this.enqueueRung();
    return true;
  }

  private finishRun(): void {
    if (this.ended) return;
    this.ended = true;
    this.finished();
  }

  private submit(q: RayQueued, memoryBytes: number): void {
    const f: Flight = {
      q,
      memoryBytes,
      nodeId: null,
      node: null,
      pid: 0,
      startedAt: Date.now(),
      currentBytes: 0,
      peakBytes: 0,
      cpuMs: 0,
      usageAt: 0,
      cpuPercent: 0,
      kill: null,
      stoppedAlone: false,
      timer: null,
    };
    this.flights.set(q.trialId, f);
    this.driver.send({ type: 'submit', trial: trialPayload(this.spec, this.cfg, q, memoryBytes) });
  }

  private cancel(f: Flight, reason: 'cancel' | 'timeout'): void {
    if (f.kill) return;
    f.kill = reason;
    this.driver.send({ type: 'cancel', trialId: f.q.trialId });
  }

  private onMessage(m: DriverMessage): void {
    if (m.type === 'nodes') {
      this.nodes = m.nodes as RayNodeState[];
      this.emitCluster();
      return this.pump();
    }
    if (m.type === 'fatal') {
      this.fatal ??= String(m.message);
      this.emit({ type: 'log', at: Date.now(), level: 'error', message: String(m.message) });
      return this.stop();
    }
    if (m.type === 'log') {
      this.emit({ type: 'log', at: Date.now(), level: 'info', message: `ray: ${String(m.message)}` });
      return;
    }
    const f = m.trialId ? this.flights.get(m.trialId) : undefined;
    if (!f || f.q.attempt !== m.attempt) return;
    if (m.type === 'started') {
      f.nodeId = String(m.nodeId);
      f.node = String(m.node);
      f.pid = Number(m.pid);
      f.startedAt = Number(m.startedAt) || Date.now();
      if (this.spec.resources.timeoutMs !== null)
        f.timer = setTimeout(() => this.cancel(f, 'timeout'), this.spec.resources.timeoutMs);
      this.emit({
        type: 'trialStarted',
        at: Date.now(),
        trialId: f.q.trialId,
        attempt: f.q.attempt,
        pid: f.pid,
        forecastBytes: f.memoryBytes,
        logFile: this.logFile(f.q),
        node: f.node,
      });
    } else if (m.type === 'usage') {
      const now = Date.now();
      // CPU time of the tree on its node between two readings, over the wall time between them.
      f.cpuPercent = f.usageAt ? ((Number(m.cpuMs) - f.cpuMs) / Math.max(1, now - f.usageAt)) * 100 : 0;
      f.currentBytes = Number(m.rssBytes);
      f.peakBytes = Math.max(f.peakBytes, Number(m.peakBytes));
      f.cpuMs = Number(m.cpuMs);
      f.usageAt = now;
      // Every running trial's latest reading: the run's timeline sums them, as locally.
      const usage = [...this.flights.values()]
        .filter((x) => x.usageAt > 0)
        .map((x) => ({
          trialId: x.q.trialId,
          pid: x.pid,
          rssBytes: x.currentBytes,
          pssBytes: null,
          cpuPercent: x.cpuPercent,
        }));
      this.emit({ type: 'trialUsage', at: now, usage });
    } else if (m.type === 'result') {
      const r = m as unknown as RayResult;
      const killReason = f.kill === 'timeout' ? 'timeout' : null;
      const o = rayOutcome(r, this.spec.metric, this.logPath(f.q), this.cfg.logLimitBytes, killReason);
      this.ended_(f, o, r.killNote);
    } else if (m.type === 'lost') {
      f.peakBytes = Math.max(f.peakBytes, Number(m.peakBytes) || 0);
      this.onLost(f, String(m.reason), String(m.message));
    }
  }

  private onLost(f: Flight, reason: string, message: string): void {
    const where = f.node ? ` on ${f.node}` : '';
    if (reason === 'cancel' || f.kill) {
      const o = lostOutcome(f, f.kill ?? 'cancel');
      return this.ended_(f, o, null);
    }
    if (reason === 'memory') return this.ended_(f, lostOutcome(f, 'memory'), message);
    // Its node or its Ray worker died: nothing of this attempt counts; it runs again on what is left.
    this.clearFlight(f);
    const losses = (f.q.losses ?? 0) + 1;
    const again = losses < MAX_LOSSES && !this.stopping;
    const record = {
      ...this.recordOf(f.q, lostOutcome(f, null), f.node, null),
      error: `lost: ${message}${again ? '; rerun on another node' : `; gave up after ${losses} losses`}`,
      final: !again,
    };
    this.emit({ type: 'log', at: Date.now(), level: 'warn', message: `${f.q.trialId}${where}: ${message}` });
    this.record(record);
    if (again) this.enqueue({ ...f.q, attempt: f.q.attempt + 1, losses }, true);
    this.pump();
  }

  /** An attempt that ran to an end on its node (or was cancelled, or killed for memory). */
  private ended_(f: Flight, o: TrialOutcome, killNote: string | null): void {
    this.clearFlight(f);
    const memory = o.killReason === 'memory';
    const requeue = memory && !f.q.memoryRetried && !this.stopping;
    const record = this.recordOf(f.q, o, f.node, memory ? (killNote ?? 'killed: memory') : null, requeue);
    if (memory)
      record.error = `${record.error}${requeue ? '; requeued once with 1.5 x its measured peak' : '; not retried again'}`;
    this.peaks.recorded(record);
    this.record(record, f.stoppedAlone && record.status === 'cancelled');
    if (requeue) {
      const peak = Math.max(f.peakBytes, record.peakRssBytes ?? 0, f.memoryBytes);
      const minForecast = Math.min(Math.round(peak * 1.5), largestNodeMemory(this.nodes));
      this.enqueue({ ...f.q, attempt: f.q.attempt + 1, minForecast, memoryRetried: true }, true);
    }
    this.pump();
  }

  private clearFlight(f: Flight): void {
    if (f.timer) clearTimeout(f.timer);
    this.flights.delete(f.q.trialId);
  }

  private logPath = (q: Queued) => this.store.logPath(q.trialId, q.attempt);
  private logFile = (q: Queued) => this.logPath(q).slice(this.store.dir.length + 1);

  private recordOf(
    q: Queued,
    o: TrialOutcome,
    node: string | null,
    killNote: string | null,
    requeued = false,
  ): TrialRecord {
    const record = toRecord(
      {
        runId: this.store.runId,
        planned: q,
        attempt: q.attempt,
        metric: this.spec.metric,
        cacheKey: cacheKey(this.spec, this.fp, q.params, q.fraction),
        logFile: this.logFile(q),
        intermediate: [],
        timeoutMs: this.spec.resources.timeoutMs,
        requeued,
        killNote,
        pruned: false,
      },
      o,
    );
    return node ? { ...record, node } : record;
  }

  private record(record: TrialRecord, stoppedAlone = false): void {
    if (stoppedAlone)
      Object.assign(record, {
        status: 'cancelled',
        final: true,
        error: 'stopped on its own (Stop Trial); the run went on',
      });
    this.store.append(record);
    this.latest.set(record.trialId, record);
    const b = bestOf(this.latest.values(), this.spec.mode);
    const best = b ? { trialId: b.trialId, params: b.params, metrics: b.metrics, value: b.value! } : null;
    this.emit({ type: 'trialFinished', at: Date.now(), record, best });
  }

  private emitCluster(): void {
    this.emit({
      type: 'cluster',
      at: Date.now(),
      address: this.cfg.address,
      nodes: clusterNodes(this.nodes, this.flights.values()),
    });
  }

  /** The driver died on its own (head lost, driver crashed): the run is interrupted and can be resumed. */
  private onDriverExit(error: string | null): void {
    if (this.ended) return;
    this.interrupted = `lost the Ray driver for ${this.cfg.address}: ${error ?? 'it exited'}`;
    this.emit({ type: 'log', at: Date.now(), level: 'error', message: this.interrupted });
    this.stopping = true;
    this.queue = [];
    for (const f of [...this.flights.values()]) {
      this.clearFlight(f);
      this.record(this.recordOf(f.q, lostOutcome(f, 'cancel'), f.node, null));
    }
    this.finishRun();
  }
}
