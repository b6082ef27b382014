/**
 * The state of one tuning run as its faces show it (Runs view, status bar, run panel), built from a
 * snapshot (what is on disk) and then from the engine's RunEvents one at a time. Pure: no vscode,
 * no Node, no DOM, so the host and the webview bundle share it.
 */
import type {
  RunHeader as ProtocolRunHeader,
  RunPanelSnapshot,
  RunRungInfo,
  RunTrialRow,
  RunUsagePoint,
} from './viewTypes';
import type { ConcurrencyDecision, RunBest, RunEvent } from '../tuning/events';
import type { TrialRecord, TrialStatus } from '../tuning/runFiles';
import { USAGE_POINTS_KEPT, usagePointOf } from './usage';

export { USAGE_POINTS_KEPT, usagePointOf } from './usage';

export type RunHeader = ProtocolRunHeader;
export type TrialRow = RunTrialRow;
export type UsagePoint = RunUsagePoint;
export type RungState = RunRungInfo;

/** What one applied event changed, so a face can update just that. */
export interface ModelChange {
  trials: TrialRow[];
  header: boolean;
  best: boolean;
  decision: ConcurrencyDecision | null;
  usage: UsagePoint | null;
  rung: boolean;
  log: { level: 'info' | 'warn' | 'error'; message: string } | null;
}

const emptyChange = (): ModelChange => ({
  trials: [],
  header: false,
  best: false,
  decision: null,
  usage: null,
  rung: false,
  log: null,
});

const LOST_WITH_NODE = /^lost: node .* died/;

export class RunModel {
  readonly trials = new Map<string, TrialRow>();
  readonly decisions: ConcurrencyDecision[] = [];
  readonly usage: UsagePoint[] = [];
  readonly rungs: RungState[] = [];
  best: RunBest | null = null;
  private bestRung = 0;
  private seq = 0;

  constructor(public header: RunHeader) {}

  /** A model rebuilt from what a panel received on (re)opening. */
  static fromSnapshot(snapshot: RunPanelSnapshot): RunModel {
    const model = new RunModel(snapshot.header);
    for (const row of snapshot.rows) model.trials.set(row.trialId, row);
    model.seq = snapshot.rows.reduce((max, r) => Math.max(max, r.seq + 1), 0);
    model.decisions.push(...snapshot.decisions);
    model.usage.push(...snapshot.usage);
    model.rungs.push(...snapshot.rungs);
    if (snapshot.best) model.setBest(snapshot.best);
    return model;
  }

  snapshot(trusted: boolean): RunPanelSnapshot {
    return {
      header: this.header,
      rows: this.rows(),
      best: this.best,
      decisions: this.decisions,
      usage: this.usage,
      rungs: this.rungs,
      trusted,
    };
  }

  /** Rows in arrival order. */
  rows(): TrialRow[] {
    return [...this.trials.values()];
  }

  counts(): Partial<Record<TrialStatus, number>> {
    const counts: Partial<Record<TrialStatus, number>> = {};
    for (const t of this.trials.values()) counts[t.status] = (counts[t.status] ?? 0) + 1;
    return counts;
  }

  /** Trials that reached a final state (done, failed, cached, ...): what "12 of 27" counts. Cancelled ones run again on resume. */
  finished(): number {
    let n = 0;
    for (const t of this.trials.values()) if (isFinished(t.status)) n++;
    return n;
  }

  /**
   * The halving rungs: those the engine announced, plus any seen only through their trials (a run
   * read from disk, or a rung announced before this face was listening).
   */
  rungInfo(): RungState[] {
    const byRung = new Map<number, RungState>(this.rungs.map((r) => [r.rung, r]));
    for (const row of this.trials.values()) {
      const known = byRung.get(row.rung);
      if (!known) byRung.set(row.rung, { rung: row.rung, fraction: row.fraction, candidates: 1 });
      else if (!this.rungs.includes(known)) known.candidates++;
    }
    return [...byRung.values()].sort((a, b) => a.rung - b.rung);
  }

  latestDecision(): ConcurrencyDecision | null {
    return this.decisions.at(-1) ?? null;
  }

  /** Loads a stored resource timeline (timeline.jsonl) into a model read from disk. */
  loadTimeline(usage: UsagePoint[], decisions: ConcurrencyDecision[]): void {
    this.usage.push(...usage.slice(-USAGE_POINTS_KEPT));
    this.decisions.push(...decisions);
  }

  /** Loads records from trials.jsonl (attempts in order; the last attempt of a trial wins). */
  loadRecords(records: TrialRecord[]): TrialRow[] {
    return records.map((r) => this.applyRecord(r));
  }

  apply(event: RunEvent): ModelChange {
    const change = emptyChange();
    switch (event.type) {
      case 'runStarted':
        this.header = {
          ...this.header,
          runId: event.runId,
          runDir: event.runDir,
          name: event.name,
          total: event.total,
          status: 'running',
          endedAt: null,
          startedAt: this.header.startedAt || event.at,
          error: undefined,
        };
        change.header = true;
        break;
      case 'trialQueued': {
        const row = this.row(event.trialId);
        Object.assign(row, {
          attempt: event.attempt,
          params: event.params,
          rung: event.rung,
          fraction: event.fraction,
          status: 'queued' as const,
          error: null,
          rssBytes: null,
          cpuPercent: null,
          // A rerun waits: nothing of the attempt before it (lost with its node, killed, cancelled)
          // is this attempt's duration, measurement or place.
          startedAt: null,
          endedAt: null,
          wallMs: null,
          cpuMs: null,
          peakRssBytes: null,
          step: null,
        });
        delete row.node;
        change.trials.push(row);
        break;
      }
      case 'trialStarted': {
        const row = this.row(event.trialId);
        Object.assign(row, {
          attempt: event.attempt,
          status: 'running' as const,
          startedAt: event.at,
          endedAt: null,
          lostNode: null,
        });
        // The trial's log exists while it runs: one click away from the start.
        if (event.logFile) row.logFile = event.logFile;
        if (event.node) row.node = event.node;
        change.trials.push(row);
        break;
      }
      case 'trialProgress': {
        const row = this.trials.get(event.trialId);
        if (!row) break;
        row.step = event.step;
        const value = event.metrics[this.header.metric];
        if (typeof value === 'number' && row.status === 'running') row.value = value;
        change.trials.push(row);
        break;
      }
      case 'trialUsage': {
        for (const u of event.usage) {
          const row = this.trials.get(u.trialId);
          if (!row) continue;
          row.rssBytes = u.rssBytes;
          row.cpuPercent = u.cpuPercent;
          row.peakRssBytes = Math.max(row.peakRssBytes ?? 0, u.rssBytes);
          change.trials.push(row);
        }
        const point = usagePointOf(event.at, event.usage);
        this.usage.push(point);
        if (this.usage.length > USAGE_POINTS_KEPT) this.usage.splice(0, this.usage.length - USAGE_POINTS_KEPT);
        change.usage = point;
        break;
      }
      case 'trialFinished': {
        const before = this.best;
        change.trials.push(this.applyRecord(event.record));
        // The engine's verdict wins over the local one (it knows the rungs and ties).
        if (event.best) this.setBest(event.best);
        change.best = !sameBest(before, this.best);
        break;
      }
      case 'concurrency':
        this.decisions.push(event.decision);
        change.decision = event.decision;
        break;
      case 'memoryGuard':
        change.log = { level: 'warn', message: `memory guard: ${event.action}` };
        break;
      case 'rung':
        this.rungs.push({ rung: event.rung, fraction: event.fraction, candidates: event.candidates });
        change.rung = true;
        break;
      case 'log':
        change.log = { level: event.level, message: event.message };
        break;
      case 'runFinished': {
        const s = event.summary;
        this.header = {
          ...this.header,
          status: s.status,
          endedAt: s.endedAt ?? event.at,
          total: s.total,
          ...(s.error ? { error: s.error } : {}),
        };
        if (s.best && !sameBest(this.best, s.best)) {
          this.setBest(s.best);
          change.best = true;
        }
        // Nothing runs after the end: live readings would otherwise linger in the table.
        for (const row of this.trials.values()) {
          if (row.rssBytes !== null || row.cpuPercent !== null) {
            row.rssBytes = null;
            row.cpuPercent = null;
            change.trials.push(row);
          }
        }
        change.header = true;
        break;
      }
    }
    return change;
  }

  setBest(best: RunBest): void {
    this.best = best;
    this.bestRung = this.trials.get(best.trialId)?.rung ?? this.bestRung;
  }

  private applyRecord(r: TrialRecord): TrialRow {
    const row = this.row(r.trialId);
    Object.assign(row, {
      attempt: r.attempt,
      params: r.params,
      rung: r.rung,
      fraction: r.fraction,
      // A non-final record (memory-pressure kill, cancel) is followed by a rerun: show it as queued again.
      status: r.final || r.status !== 'killed' ? r.status : 'queued',
      value: r.value,
      metrics: r.metrics,
      startedAt: r.startedAt,
      endedAt: r.endedAt,
      wallMs: r.wallMs,
      // null: not measured (the record says so), shown as "—", not "0%" or "0 B".
      cpuMs: r.cpuMs,
      peakRssBytes: r.peakRssBytes,
      rssBytes: null,
      cpuPercent: null,
      error: r.error,
      logFile: r.logFile,
      cachedFrom: r.cachedFrom ?? null,
    });
    if (r.node) row.node = r.node;
    // Lost with its node (rayScheduler's "lost: node X died ..."): the rerun's row names where it died.
    row.lostNode = !r.final && r.node && LOST_WITH_NODE.test(r.error ?? '') ? r.node : null;
    if (!r.final && r.status === 'killed') row.error = `${r.error ?? 'killed'}; queued again`;
    if (r.final && r.value !== null && (r.status === 'done' || r.status === 'cached') && this.better(r.value, r.rung)) {
      this.best = { trialId: r.trialId, params: r.params, metrics: r.metrics, value: r.value };
      this.bestRung = r.rung;
    }
    return row;
  }

  /** Higher halving rungs (more data) outrank lower ones, as in scikit-learn's HalvingGridSearchCV. */
  private better(value: number, rung: number): boolean {
    if (!this.best || rung > this.bestRung) return true;
    if (rung < this.bestRung) return false;
    return this.header.mode === 'max' ? value > this.best.value : value < this.best.value;
  }

  private row(trialId: string): TrialRow {
    let row = this.trials.get(trialId);
    if (!row) {
      row = {
        seq: this.seq++,
        trialId,
        attempt: 1,
        params: {},
        rung: 0,
        fraction: 1,
        status: 'queued',
        value: null,
        metrics: {},
        startedAt: null,
        endedAt: null,
        wallMs: null,
        cpuMs: null,
        peakRssBytes: null,
        rssBytes: null,
        cpuPercent: null,
        step: null,
        error: null,
        logFile: null,
        cachedFrom: null,
      };
      this.trials.set(trialId, row);
    }
    return row;
  }
}

function sameBest(a: RunBest | null, b: RunBest | null): boolean {
  return a === b || (a !== null && b !== null && a.trialId === b.trialId && a.value === b.value);
}

/** Names of all params seen, in first-seen order: the table's param columns. */
export function paramNames(rows: Iterable<TrialRow>): string[] {
  const names = new Set<string>();
  for (const row of rows) for (const name of Object.keys(row.params)) names.add(name);
  return [...names];
}

/** A trial that will not run again: not queued, running, or cancelled by a stop (those rerun on resume). */
export function isFinished(status: TrialStatus): boolean {
  return status !== 'queued' && status !== 'running' && status !== 'cancelled';
}
