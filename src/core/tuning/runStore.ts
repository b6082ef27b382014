/**
 * Runs on disk: `.headroom/runs/<run-id>/` in the workspace, holding `spec.json` (the resolved
 * spec), `run.json` (status, owner pid, times), `trials.jsonl` (append-only, one write per record,
 * a truncated last line tolerated), `timeline.jsonl` (memory/CPU and admission decisions over time,
 * runTimeline.ts) and `logs/`. A run whose owner is gone is `interrupted`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { RunSummary } from './events';
import type { RunStatus, TrialRecord } from './runFiles';
import { JsonLinesFile, parseJsonLines } from './jsonLines';
import { isAlive } from './processTree';
import { readTimeline, type RunTimeline } from './runTimeline';
import { candidateBest } from './searchBest';
import type { ResolvedSpec } from './types';

export interface RunMeta {
  runId: string;
  name: string;
  specPath: string;
  status: RunStatus;
  startedAt: number;
  endedAt: number | null;
  total: number;
  /** The engine process that owns the run while it is `running`. */
  owner: { pid: number; host: string } | null;
  error?: string;
  /** 'joblib': a search recorded by headroom_runtime's joblib backend (python/headroom_runtime/_runlog.py). */
  source?: 'joblib';
}

/** Runs this process is executing now: never reported as interrupted. */
export const activeRuns = new Set<string>();

export function runsDir(workspace: string): string {
  return join(workspace, '.headroom', 'runs');
}

/** The workspace of a spec: the nearest ancestor with .headroom, .vscode or .git; else the spec's folder. */
export function findWorkspace(specPath: string): string {
  let dir = dirname(specPath);
  for (;;) {
    if (['.headroom', '.vscode', '.git'].some((m) => existsSync(join(dir, m)))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return dirname(specPath);
    dir = parent;
  }
}

export function newRunId(name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug =
    name
      .replace(/[^A-Za-z0-9_-]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'run';
  return `${stamp}-${slug}-${Math.random().toString(36).slice(2, 6)}`;
}

function writeJsonAtomic(path: string, value: unknown): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  renameSync(tmp, path);
}

export class RunStore {
  readonly dir: string;
  private readonly trialLines: JsonLinesFile;

  constructor(
    readonly workspace: string,
    readonly runId: string,
  ) {
    this.dir = join(runsDir(workspace), runId);
    this.trialLines = new JsonLinesFile(this.trialsPath);
  }

  static create(workspace: string, spec: ResolvedSpec, total: number): RunStore {
    const root = join(workspace, '.headroom');
    mkdirSync(runsDir(workspace), { recursive: true });
    // Runs are machine-local results, never something to commit.
    if (!existsSync(join(root, '.gitignore')))
      writeFileSync(join(root, '.gitignore'), '# Headroom run data (logs, results): local only\n*\n');
    const store = new RunStore(workspace, newRunId(spec.name));
    mkdirSync(join(store.dir, 'logs'), { recursive: true });
    writeJsonAtomic(join(store.dir, 'spec.json'), spec);
    writeFileSync(join(store.dir, 'trials.jsonl'), '');
    store.writeMeta({
      runId: store.runId,
      name: spec.name,
      specPath: spec.specPath,
      status: 'running',
      startedAt: Date.now(),
      endedAt: null,
      total,
      owner: null,
    });
    return store;
  }

  get trialsPath(): string {
    return join(this.dir, 'trials.jsonl');
  }

  logPath(trialId: string, attempt: number): string {
    return join(this.dir, 'logs', attempt > 1 ? `${trialId}.attempt${attempt}.log` : `${trialId}.log`);
  }

  readSpec(): ResolvedSpec {
    return JSON.parse(readFileSync(join(this.dir, 'spec.json'), 'utf8')) as ResolvedSpec;
  }

  readMeta(): RunMeta {
    const meta = JSON.parse(readFileSync(join(this.dir, 'run.json'), 'utf8')) as RunMeta;
    if (meta.status === 'running' && !activeRuns.has(meta.runId) && !ownerAlive(meta.owner))
      meta.status = 'interrupted';
    return meta;
  }

  writeMeta(meta: RunMeta): void {
    writeJsonAtomic(join(this.dir, 'run.json'), meta);
  }

  updateMeta(patch: Partial<RunMeta>): RunMeta {
    const meta = { ...this.readMeta(), ...patch };
    this.writeMeta(meta);
    return meta;
  }

  append(record: TrialRecord): void {
    this.trialLines.append(record);
  }

  readTrials(): TrialRecord[] {
    if (!existsSync(this.trialsPath)) return [];
    return parseTrialLines(readFileSync(this.trialsPath, 'utf8'));
  }

  delete(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function ownerAlive(owner: RunMeta['owner']): boolean {
  if (!owner) return false;
  if (owner.host !== hostname()) return true; // cannot tell from here; trust the file
  return owner.pid !== process.pid && isAlive(owner.pid);
}

export function ownerOfThisProcess(): RunMeta['owner'] {
  return { pid: process.pid, host: hostname() };
}

/** Parses trials.jsonl, skipping blank and truncated lines. */
export function parseTrialLines(text: string): TrialRecord[] {
  return parseJsonLines(text).filter(
    (r): r is TrialRecord => typeof r === 'object' && r !== null && typeof (r as TrialRecord).trialId === 'string',
  );
}

/** The last record of each trial (attempts and resumes append; the latest wins). */
export function latestByTrial(records: TrialRecord[]): Map<string, TrialRecord> {
  const map = new Map<string, TrialRecord>();
  for (const r of records) map.set(r.trialId, r);
  return map;
}

export function bestOf(records: Iterable<TrialRecord>, mode: 'max' | 'min'): TrialRecord | null {
  let best: TrialRecord | null = null;
  for (const r of records) {
    if ((r.status !== 'done' && r.status !== 'cached') || r.value === null) continue;
    // Halving: only the last rung a candidate reached competes with the others at that rung.
    if (!best || r.rung > best.rung) {
      best = r;
      continue;
    }
    if (r.rung < best.rung) continue;
    const better = mode === 'max' ? r.value > best.value! : r.value < best.value!;
    // Ties go to the earlier candidate, as in scikit-learn's best_index_.
    if (better || (r.value === best.value && r.trialId < best.trialId)) best = r;
  }
  return best;
}

export function summarize(store: RunStore, meta: RunMeta, spec: ResolvedSpec, records: TrialRecord[]): RunSummary {
  const latest = latestByTrial(records);
  const counts: RunSummary['counts'] = {};
  for (const r of latest.values()) counts[r.status] = (counts[r.status] ?? 0) + 1;
  // A joblib search's best is its best candidate over the folds, as scikit-learn's best_params_.
  const best =
    (meta.source === 'joblib' ? candidateBest(latest.values(), spec.mode) : null) ?? bestOf(latest.values(), spec.mode);
  return {
    runId: meta.runId,
    name: meta.name,
    specPath: meta.specPath,
    runDir: store.dir,
    status: meta.status,
    metric: spec.metric,
    mode: spec.mode,
    search: spec.search,
    startedAt: meta.startedAt,
    endedAt: meta.endedAt,
    total: meta.total,
    counts,
    best: best ? { trialId: best.trialId, params: best.params, metrics: best.metrics, value: best.value! } : null,
    ...(meta.error ? { error: meta.error } : {}),
    ...(meta.source === 'joblib' ? { source: 'joblib' as const } : {}),
  };
}

/** All runs of a workspace, newest first. Unreadable run folders are skipped. */
export function listRuns(workspace: string): RunSummary[] {
  const dir = runsDir(workspace);
  if (!existsSync(dir)) return [];
  const out: RunSummary[] = [];
  for (const runId of readdirSync(dir)) {
    try {
      const store = new RunStore(workspace, runId);
      out.push(summarize(store, store.readMeta(), store.readSpec(), store.readTrials()));
    } catch {
      // not a run folder, or one being created right now
    }
  }
  return out.sort((a, b) => b.startedAt - a.startedAt);
}

export interface RunDetails {
  summary: RunSummary;
  spec: ResolvedSpec;
  /** Every record in file order (attempts included). */
  trials: TrialRecord[];
  timeline: RunTimeline;
}

export function readRun(workspace: string, runId: string): RunDetails {
  const store = new RunStore(workspace, runId);
  if (!existsSync(join(store.dir, 'run.json'))) throw new Error(`no run '${runId}' in ${runsDir(workspace)}`);
  const spec = store.readSpec();
  const trials = store.readTrials();
  return { summary: summarize(store, store.readMeta(), spec, trials), spec, trials, timeline: readTimeline(store.dir) };
}

export function deleteRun(workspace: string, runId: string): void {
  if (activeRuns.has(runId)) throw new Error(`run '${runId}' is still running: stop it first`);
  new RunStore(workspace, runId).delete();
}
