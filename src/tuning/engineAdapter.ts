/**
 * The one place the VS Code side meets the tuning engine (src/core/tuning). Everything else in
 * src/tuning talks to a RunSource, so the faces do not depend on the engine's internals.
 */
import type { RunEvent, RunSummary } from '../core/tuning/events';
import type { TrialRecord } from '../core/tuning/runFiles';
import type { RunTimeline } from '../core/tuning/runTimeline';
import type { PythonChoice } from '../core/tuning/spec';
import type { RunHandle } from '../core/tuning/engine';
// Reading runs is cheap and needed as soon as the Runs view shows (the run store loads with the
// extension); the engine itself (piscina, the spec's schema validator) loads on the first start or
// resume, keeping activation light. Both use the one run store, so this window's live runs read as running.
import { deleteRun, footprintEngine, listRuns, readRun, tuningEngine, type TuningEngine } from '../lazyEngines';
import type { RunHeader } from '../core/runView/runModel';
import { headerOf } from '../core/runView/runTree';

export interface StartOptions {
  /** Folder holding `.headroom/runs` (the spec's workspace folder). */
  workspace: string;
  python: PythonChoice;
  /** headroom.tuning.rayAddress: the Ray cluster for specs without `cluster:` (empty: this machine). */
  rayAddress?: string;
}

/** A run this window is executing. */
export interface LiveRun {
  readonly runId: string;
  readonly header: RunHeader;
  /** Trials a resumed run finished in an earlier session, read from its files; applied before the live events. */
  readonly startEvents: RunEvent[];
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Kills running trials (whole process trees) and resolves with the final summary. */
  stop(): Promise<RunSummary>;
  /** Stops one running or queued trial; the run goes on. False when it is not running or queued. */
  stopTrial(trialId: string): boolean;
  readonly done: Promise<RunSummary>;
}

export interface RunSource {
  listRuns(workspace: string): RunSummary[];
  readRun(workspace: string, runId: string): { summary: RunSummary; trials: TrialRecord[]; timeline: RunTimeline };
  start(specPath: string, options: StartOptions): Promise<LiveRun>;
  resume(runId: string, options: StartOptions): Promise<LiveRun>;
  deleteRun(workspace: string, runId: string): void;
}

let loaded: TuningEngine | undefined;
async function loadEngine(): Promise<TuningEngine> {
  loaded ??= await tuningEngine();
  return loaded;
}

/** Errors that are the user's to fix (bad spec, missing interpreter): shown as they are, without a stack. */
export function isUserError(error: unknown): error is Error {
  return loaded !== undefined && (error instanceof loaded.SpecError || error instanceof loaded.TuningError);
}

function liveRun(handle: RunHandle, workspace: string): LiveRun {
  // The engine replays its own events (runStarted, trialQueued, ...) to a late listener, but a
  // resumed run's trials that finished in an earlier session exist only on disk.
  const { summary, trials } = readRun(workspace, handle.runId);
  const startEvents = trials.map((record): RunEvent => ({
    type: 'trialFinished',
    at: record.endedAt,
    record,
    best: null,
  }));
  return {
    runId: handle.runId,
    header: headerOf(summary),
    startEvents,
    onEvent: (listener) => handle.onEvent(listener),
    stop: () => handle.stop(),
    stopTrial: (trialId) => handle.stopTrial(trialId),
    done: handle.done,
  };
}

type EngineServices = Pick<NonNullable<Parameters<TuningEngine['startRun']>[1]>, 'analyzeDataFile' | 'probePython'>;

/**
 * The real engine, in this process: piscina threads supervising the trials' Python processes. The
 * spec's data file is measured by `analyzeDataFile` (the extension's footprint service), else by the
 * footprint engine the other features load: one engine, one worker pool either way. The interpreter
 * is asked by `probePython` (the Python environment service), else by the engine's own probe, which
 * is the same cached one (dist/core-shared.js).
 */
export function createEngineRunSource({
  analyzeDataFile = async (path, options) => (await footprintEngine()).analyzeFile(path, options),
  probePython,
}: EngineServices = {}): RunSource {
  return {
    listRuns: (workspace) => listRuns(workspace),
    readRun: (workspace, runId) => readRun(workspace, runId),
    async start(specPath, { workspace, python, rayAddress }) {
      const engine = await loadEngine();
      const options = { workspace, python, analyzeDataFile, probePython, rayAddressDefault: rayAddress };
      return liveRun(await engine.startRun(specPath, options), workspace);
    },
    async resume(runId, { workspace, python }) {
      const engine = await loadEngine();
      return liveRun(await engine.resumeRun(workspace, runId, { python, analyzeDataFile, probePython }), workspace);
    },
    deleteRun: (workspace, runId) => deleteRun(workspace, runId),
  };
}

/** The engine measuring data files with the footprint engine it loads (the extension passes its footprint service). */
export const engineRunSource: RunSource = createEngineRunSource();
