/**
 * The tuning engine's public face, used by the CLI and the VS Code side alike:
 * startRun / resumeRun return a RunHandle (events, stop, done); listRuns / readRun / deleteRun read
 * what is on disk. No VS Code here: the caller passes the Python extension's interpreter and the
 * settings it has.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { RunEvent, RunSummary } from './events';
import { distCandidates } from '../distDir';
import { buildCacheIndex, fingerprint } from './cache';
import { footprintEstimator, type AnalyzeDataFile } from './footprintAdapter';
import { defaultReserve, initMemoryProbe, readAvailableMemory } from './memoryProbe';
import { activeRuns, findWorkspace, ownerOfThisProcess, RunStore, summarize } from './runStore';
import { RunEventStream } from './runEvents';
import { RunLogWriter, runLogPath } from './runLog';
import { RunTimelineWriter, timelinePath } from './runTimeline';
import { RunScheduler, type RunSnapshot } from './scheduler';
import { connectCluster, resolveRayAddress } from './rayLaunch';
import { RayScheduler } from './rayScheduler';
import { plannedTotal } from './searchSpace';
import { loadSpec, type PythonChoice } from './spec';
import { describePythonSource, probePython, PythonError, type PythonProbe } from '../python';
import type { ResolvedSpec } from './types';

export type { RunSnapshot } from './scheduler';

export interface EngineOptions {
  /** Folder that holds `.headroom/runs`; default: the spec's workspace (nearest .git/.vscode/.headroom). */
  workspace?: string;
  /** Interpreter defaults when the spec names none (VS Code: Python extension, then headroom.python.path). */
  python?: PythonChoice;
  /** Overrides of the spec (CLI --workers, --memory-budget). */
  workers?: number;
  memoryBudgetBytes?: number;
  /** False disables reuse of finished trials from earlier runs. */
  cache?: boolean;
  /** Memory never handed to trials; default 10% of memory (256 MiB..2 GiB). */
  reserveBytes?: number;
  /** Below this much available memory the guard kills the newest trial; default reserve / 4. */
  criticalBytes?: number;
  /** Folder with workers/tuneTrial.js and python/headroom_runtime; found next to the bundle by default. */
  distDir?: string;
  /** In-memory bytes of the spec's `data:` file as a trial loads it; default: the footprint engine (quick mode). */
  estimateDataBytes?: (dataPath: string) => Promise<number | null>;
  /** The footprint engine estimateDataBytes uses by default (the extension passes its one instance). */
  analyzeDataFile?: AnalyzeDataFile;
  /**
   * The one probe of an interpreter (the extension passes its Python environment service's); default:
   * core's cached probePython, which the data estimate's pandas model uses too, so a start asks once.
   */
  probePython?: ProbePython;
  logLimitBytes?: number;
  sampleIntervalMs?: number;
  guardIntervalMs?: number;
  pruneMinTrials?: number;
  cores?: number;
  /** False starts every trial at once, without the check before launch (launchCheck.ts). */
  launchCheck?: boolean;
  /** Run the trials on this Ray cluster (HOST:PORT or "auto"): CLI --ray, the headroom.tuning.rayAddress setting. */
  rayAddress?: string;
  /** The cluster for specs that name none (the headroom.tuning.rayAddress setting); empty: this machine. */
  rayAddressDefault?: string;
}

export interface RunHandle {
  readonly runId: string;
  readonly runDir: string;
  readonly spec: ResolvedSpec;
  /** Every event of the run (late subscribers get the earlier ones first, trialUsage excepted); `for await` works too. */
  readonly events: RunEventStream;
  onEvent(listener: (event: RunEvent) => void): () => void;
  /** Cancels the queue and kills running trials (their whole process trees); resolves when all are gone. */
  stop(): Promise<RunSummary>;
  /** Stops one running or queued trial; the run goes on. False when there is no such trial (any more). */
  stopTrial(trialId: string): boolean;
  /** Resolves with the final summary (status done, failed or stopped). */
  readonly done: Promise<RunSummary>;
  /** What is running and queued now, and the last admission decision: for a view that opens mid-run. */
  snapshot(): RunSnapshot;
}

export class TuningError extends Error {}
/** Refused because of what the user asked for (an interpreter the spec names that is not there, an unknown run id): CLI exit 2. */
export class UsageError extends TuningError {}

/** dist/ holding the worker bundle: next to this bundle (dist/cli.js, dist/extension.js) or the repo's dist/ (tests). */
export function locateDist(explicit?: string): string {
  const candidates = [explicit, ...distCandidates()].filter((c): c is string => !!c);
  const found = candidates.find((c) => existsSync(join(c, 'workers', 'tuneTrial.js')));
  if (!found)
    throw new TuningError(
      `tuning worker not found (looked for workers/tuneTrial.js in ${candidates.join(', ')}): run 'npm run build'`,
    );
  return found;
}

function runtimeDirOf(dist: string): string {
  for (const dir of [join(dist, 'python'), join(dist, '..', 'python')])
    if (existsSync(join(dir, 'headroom_runtime', '__init__.py'))) return dir;
  throw new TuningError(`headroom_runtime not found in ${join(dist, 'python')}: run 'npm run build'`);
}

/** What engine.ts needs of either scheduler: the local pool's or the Ray cluster's. */
type Scheduler = Pick<RunScheduler, 'run' | 'stop' | 'stopTrial' | 'snapshot' | 'fatalError'>;

/** Connects to the run's Ray cluster before anything is recorded as running; a TuningError naming the address otherwise. */
async function openCluster(spec: ResolvedSpec, runId: string, runtimeDir: string, ray: string) {
  try {
    const address = resolveRayAddress(ray);
    return { address, ...(await connectCluster(spec, address, runId, runtimeDir)) };
  } catch (error) {
    throw new TuningError((error as Error).message);
  }
}

export type ProbePython = (pythonPath: string) => Promise<PythonProbe>;

/**
 * Fails early, with the origin of the path, when the interpreter cannot run; resolves with the
 * probe's answer, which the data estimate uses too (a start asks its interpreter once).
 */
export async function checkPython(spec: ResolvedSpec, probe: ProbePython = probePython): Promise<PythonProbe> {
  try {
    return await probe(spec.python);
  } catch (error) {
    const notFound = error instanceof PythonError && error.code === 'missing';
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const what = notFound ? 'not found' : `does not run (${detail})`;
    const Refusal = notFound && spec.pythonSource === 'spec' ? UsageError : TuningError;
    throw new Refusal(
      `Python interpreter ${what}: ${spec.python} (from ${spec.pythonFrom ?? describePythonSource(spec.pythonSource)})`,
    );
  }
}

/** Starts a run of a spec file (or an already resolved spec). Throws SpecError / TuningError before anything runs. */
export async function startRun(spec: string | ResolvedSpec, options: EngineOptions = {}): Promise<RunHandle> {
  const loaded = typeof spec === 'string' ? loadSpec(spec, options.python) : spec;
  // Stored with the run, so that a resume goes back to the same cluster.
  const ray = options.rayAddress || (loaded.cluster ? undefined : options.rayAddressDefault);
  const resolved = ray ? { ...loaded, cluster: { ray } } : loaded;
  const workspace = options.workspace ?? findWorkspace(resolved.specPath);
  const probe = await checkPython(resolved, options.probePython);
  const store = RunStore.create(workspace, resolved, plannedTotal(resolved));
  return launch(store, resolved, probe, options, false);
}

/** Continues an interrupted or stopped run: finished trials are kept and skipped. */
export async function resumeRun(workspace: string, runId: string, options: EngineOptions = {}): Promise<RunHandle> {
  if (activeRuns.has(runId)) throw new TuningError(`run '${runId}' is already running`);
  const store = new RunStore(workspace, runId);
  if (!existsSync(join(store.dir, 'run.json')))
    throw new UsageError(`no run '${runId}' in ${join(workspace, '.headroom', 'runs')}`);
  const meta = store.readMeta();
  if (meta.status === 'running') throw new TuningError(`run '${runId}' is still running in process ${meta.owner?.pid}`);
  if (meta.source === 'joblib')
    throw new UsageError(`run '${runId}' is a joblib search recorded by headroom_runtime: run its script again`);
  const spec = store.readSpec();
  const probe = await checkPython(spec, options.probePython);
  return launch(store, spec, probe, options, true);
}

async function launch(
  store: RunStore,
  spec: ResolvedSpec,
  probe: PythonProbe,
  options: EngineOptions,
  resumed: boolean,
): Promise<RunHandle> {
  const dist = locateDist(options.distDir);
  const runtimeDir = runtimeDirOf(dist);
  await initMemoryProbe();
  const mem = readAvailableMemory();
  const reserveBytes = options.reserveBytes ?? defaultReserve(mem.totalBytes);
  const cores = options.cores ?? availableParallelism();
  const workers = options.workers ?? spec.resources.workers;
  const cpuSlots = Math.max(1, Math.floor(cores / spec.resources.threadsPerTrial));
  const slots = workers === 'auto' ? cpuSlots : workers;
  const budgetBytes =
    options.memoryBudgetBytes ?? spec.resources.memoryBudget ?? Math.max(0, mem.availableBytes - reserveBytes);
  const fp = await fingerprint(spec);
  const useCache = options.cache ?? spec.cache;
  const cacheIndex = useCache ? buildCacheIndex(store.workspace) : new Map();
  const estimate = options.estimateDataBytes ?? footprintEstimator(probe, options.analyzeDataFile);
  const dataEstimate = spec.data ? await estimate(spec.data).catch(() => null) : null;
  const cluster = spec.cluster
    ? await openCluster(spec, store.runId, runtimeDir, spec.cluster.ray).catch((error: Error) => {
        store.updateMeta({ status: resumed ? 'interrupted' : 'failed', endedAt: Date.now(), error: error.message });
        throw error;
      })
    : null;
  const events = new RunEventStream();
  const timeline = new RunTimelineWriter(timelinePath(store.dir));
  const runLog = new RunLogWriter(runLogPath(store.dir), spec.metric);
  const emit = (event: RunEvent) => {
    timeline.record(event);
    runLog.record(event);
    events.emit(event);
  };
  const meta = store.updateMeta({ status: 'running', owner: ownerOfThisProcess(), endedAt: null, error: undefined });
  activeRuns.add(store.runId);
  const pool = cluster
    ? null
    : new Piscina({
        filename: join(dist, 'workers', 'tuneTrial.js'),
        minThreads: 1,
        maxThreads: slots,
        concurrentTasksPerWorker: 1,
        // An idle thread must keep its event loop turning: it owns an objective worker process whose
        // exit it has to reap and whose output it has to drain ('sync' blocks it in Atomics.wait).
        atomics: 'async',
        idleTimeout: 24 * 3600 * 1000,
      });
  const scheduler: Scheduler = cluster
    ? new RayScheduler(
        spec,
        store,
        cluster.driver,
        fp,
        cacheIndex,
        {
          address: cluster.address,
          runId: store.runId,
          nodes: cluster.nodes,
          workers: workers === 'auto' ? null : workers,
          dataEstimateBytes: dataEstimate === null ? null : dataEstimate * 2,
          data: cluster.data,
          logLimitBytes: options.logLimitBytes ?? 2 * 1024 * 1024,
          criticalBytes: options.criticalBytes ?? Math.round(reserveBytes / 4),
          useCache,
        },
        emit,
      )
    : new RunScheduler(
        spec,
        store,
        pool!,
        fp,
        cacheIndex,
        {
          slots,
          cores,
          workersFixed: workers !== 'auto',
          budgetBytes,
          reserveBytes,
          criticalBytes: options.criticalBytes ?? Math.round(reserveBytes / 4),
          // Footprint of the frame plus the one float64 copy scikit-learn's check_array makes of it.
          dataEstimateBytes: dataEstimate === null ? null : dataEstimate * 2,
          runtimeDir,
          logLimitBytes: options.logLimitBytes ?? 2 * 1024 * 1024,
          sampleIntervalMs: options.sampleIntervalMs ?? 500,
          guardIntervalMs: options.guardIntervalMs ?? 500,
          pruneMinTrials: options.pruneMinTrials ?? 2,
          maxMemoryAttempts: 3,
          useCache,
          launchCheck: options.launchCheck,
        },
        emit,
      );
  const skipped = store.readTrials().filter((r) => r.final).length;
  let stopped = false;
  const done = (async (): Promise<RunSummary> => {
    try {
      // Let the caller subscribe to the handle's events before the first one is emitted.
      await new Promise((resolve) => setImmediate(resolve));
      emit({
        type: 'runStarted',
        at: Date.now(),
        runId: store.runId,
        runDir: store.dir,
        name: spec.name,
        total: meta.total,
        resumed,
        skipped,
      });
      if (!stopped) await scheduler.run();
    } finally {
      await pool?.destroy().catch(() => undefined);
      activeRuns.delete(store.runId);
    }
    const records = store.readTrials();
    const succeeded = records.some((r) => r.status === 'done' || r.status === 'cached');
    const interrupted = scheduler instanceof RayScheduler ? scheduler.interrupted : null;
    const status = interrupted
      ? 'interrupted'
      : scheduler.fatalError
        ? 'failed'
        : stopped
          ? 'stopped'
          : succeeded
            ? 'done'
            : 'failed';
    const finalMeta = store.updateMeta({
      status,
      endedAt: Date.now(),
      owner: null,
      error: interrupted ?? scheduler.fatalError ?? undefined,
    });
    const summary = summarize(store, finalMeta, spec, records);
    emit({ type: 'runFinished', at: Date.now(), summary });
    events.end();
    return summary;
  })();
  const handle: RunHandle = {
    runId: store.runId,
    runDir: store.dir,
    spec,
    events,
    onEvent: (listener) => events.on(listener),
    stop: () => {
      stopped = true;
      scheduler.stop();
      return done;
    },
    stopTrial: (trialId) => scheduler.stopTrial(trialId),
    done,
    snapshot: () => scheduler.snapshot(),
  };
  return handle;
}

export { listRuns, readRun, deleteRun, findWorkspace, type RunDetails } from './runStore';
export { loadSpec, parseSpec, SpecError, type PythonChoice, type SpecIssue } from './spec';
