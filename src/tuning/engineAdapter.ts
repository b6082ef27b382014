/**
 * The one place the VS Code side meets the tuning engine (src/core/tuning). Everything else in
 * src/tuning talks to a RunSource, so the faces do not depend on the engine's internals.
 */
import type { RunEvent, RunSummary, TrialRecord } from '../protocol';
// Reading runs is cheap and needed as soon as the Runs view shows; the engine itself (piscina, the
// spec's schema validator) is loaded on the first start or resume, keeping activation light.
import { deleteRun, listRuns, readRun } from '../core/tuning/runStore';
import { initialTrials } from '../core/tuning/searchSpace';
import type { PythonChoice } from '../core/tuning/spec';
import type { RunHandle } from '../core/tuning/engine';
import type { RunHeader } from '../core/runView/runModel';
import { headerOf } from '../core/runView/runTree';

export interface StartOptions {
  /** Folder holding `.headroom/runs` (the spec's workspace folder). */
  workspace: string;
  python: PythonChoice;
}

/** A run this window is executing. */
export interface LiveRun {
  readonly runId: string;
  readonly header: RunHeader;
  /**
   * Events the engine emitted before the handle existed (the start of the run), reconstructed from
   * the plan and the run's files, to be applied before the live ones.
   */
  readonly startEvents: RunEvent[];
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Kills running trials (whole process trees) and resolves with the final summary. */
  stop(): Promise<RunSummary>;
  readonly done: Promise<RunSummary>;
}

export interface RunSource {
  listRuns(workspace: string): RunSummary[];
  readRun(workspace: string, runId: string): { summary: RunSummary; trials: TrialRecord[] };
  start(specPath: string, options: StartOptions): Promise<LiveRun>;
  resume(runId: string, options: StartOptions): Promise<LiveRun>;
  deleteRun(workspace: string, runId: string): void;
}

type Engine = typeof import('../core/tuning/engine');
let loaded: Engine | undefined;
async function loadEngine(): Promise<Engine> {
  loaded ??= await import('../core/tuning/engine');
  return loaded;
}

/** Errors that are the user's to fix (bad spec, missing interpreter): shown as they are, without a stack. */
export function isUserError(error: unknown): error is Error {
  return loaded !== undefined && (error instanceof loaded.SpecError || error instanceof loaded.TuningError);
}

function liveRun(handle: RunHandle, workspace: string, resumed: boolean): LiveRun {
  // startRun/resumeRun emit runStarted and the first trialQueued events before they return the
  // handle, so those are rebuilt here from the same plan and from what is already on disk.
  const { summary, trials } = readRun(workspace, handle.runId);
  const final = new Set(trials.filter((r) => r.final).map((r) => r.trialId));
  const now = Date.now();
  const startEvents: RunEvent[] = [
    {
      type: 'runStarted',
      at: summary.startedAt,
      runId: handle.runId,
      runDir: handle.runDir,
      name: summary.name,
      total: summary.total,
      resumed,
      skipped: final.size,
    },
    ...trials.map((record): RunEvent => ({ type: 'trialFinished', at: record.endedAt, record, best: null })),
  ];
  if (!resumed || summary.search !== 'halving') {
    for (const t of initialTrials(handle.spec)) {
      if (final.has(t.trialId)) continue;
      startEvents.push({
        type: 'trialQueued',
        at: now,
        trialId: t.trialId,
        params: t.params,
        rung: t.rung,
        fraction: t.fraction,
        attempt: 1,
      });
    }
  }
  return {
    runId: handle.runId,
    header: { ...headerOf(summary), status: 'running', endedAt: null },
    startEvents,
    onEvent: (listener) => handle.onEvent(listener),
    stop: () => handle.stop(),
    done: handle.done,
  };
}

/** The real engine, in this process: piscina threads supervising the trials' Python processes. */
export const engineRunSource: RunSource = {
  listRuns: (workspace) => listRuns(workspace),
  readRun: (workspace, runId) => readRun(workspace, runId),
  async start(specPath, { workspace, python }) {
    const engine = await loadEngine();
    return liveRun(await engine.startRun(specPath, { workspace, python }), workspace, false);
  },
  async resume(runId, { workspace, python }) {
    const engine = await loadEngine();
    return liveRun(await engine.resumeRun(workspace, runId, { python }), workspace, true);
  },
  deleteRun: (workspace, runId) => deleteRun(workspace, runId),
};
