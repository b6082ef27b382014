/**
 * Owns the runs this window knows: the live ones (started or resumed here, with their RunModel kept
 * current from the engine's events) and the ones on disk in each workspace folder. The Runs view,
 * the status bar, the panels and the notifications all read from here.
 */
import * as vscode from 'vscode';
import type { RunEvent, RunSummary } from '../core/tuning/events';
import type { TrialRecord } from '../core/tuning/runFiles';
import { RunModel } from '../core/runView/runModel';
import { headerOf } from '../core/runView/runTree';
import type { RunTimeline } from '../core/tuning/runTimeline';
import type { LiveRun, RunSource, StartOptions } from './engineAdapter';

export interface RunEntry {
  workspace: string;
  summary: RunSummary;
  live?: LiveRun;
  /** Present for live runs, and for on-disk runs once something (tree, panel) asked for their trials. */
  model?: RunModel;
}

export class RunManager implements vscode.Disposable {
  private readonly live = new Map<
    string,
    { workspace: string; run: LiveRun; model: RunModel; unsubscribe: () => void }
  >();
  private readonly loaded = new Map<string, { workspace: string; model: RunModel }>();
  private cache: RunEntry[] | null = null;
  private readonly changed = new vscode.EventEmitter<string | undefined>();
  private readonly eventEmitter = new vscode.EventEmitter<{ runId: string; event: RunEvent; model: RunModel }>();
  private readonly finishedEmitter = new vscode.EventEmitter<{ runId: string; summary: RunSummary; model: RunModel }>();

  /** A run's list entry or trials changed (undefined: the list itself). */
  readonly onDidChange = this.changed.event;
  /** Every engine event of a live run, after it was applied to the run's model. */
  readonly onEvent = this.eventEmitter.event;
  readonly onDidFinish = this.finishedEmitter.event;

  constructor(
    private readonly source: RunSource,
    private readonly workspaces: () => string[],
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** All runs of all workspace folders, newest first. */
  list(): RunEntry[] {
    if (!this.cache) {
      const entries: RunEntry[] = [];
      for (const workspace of this.workspaces()) {
        try {
          for (const summary of this.source.listRuns(workspace)) entries.push({ workspace, summary });
        } catch (error) {
          this.log.warn(`Listing runs in ${workspace} failed: ${String(error)}`);
        }
      }
      this.cache = entries.sort((a, b) => b.summary.startedAt - a.summary.startedAt);
    }
    return this.cache.map((entry) => {
      const live = this.live.get(entry.summary.runId);
      return live
        ? { ...entry, live: live.run, model: live.model }
        : { ...entry, model: this.loaded.get(entry.summary.runId)?.model };
    });
  }

  get(runId: string): RunEntry | undefined {
    return this.list().find((e) => e.summary.runId === runId);
  }

  liveRuns(): { runId: string; model: RunModel }[] {
    return [...this.live.entries()].map(([runId, l]) => ({ runId, model: l.model }));
  }

  isLive(runId: string): boolean {
    return this.live.has(runId);
  }

  /** The run's model: the live one, or one built from its files (cached until the list refreshes). */
  model(runId: string, workspace?: string): RunModel | undefined {
    const live = this.live.get(runId);
    if (live) return live.model;
    const loaded = this.loaded.get(runId);
    if (loaded) return loaded.model;
    const where = workspace ?? this.get(runId)?.workspace;
    if (!where) return undefined;
    try {
      const { summary, trials, timeline } = this.source.readRun(where, runId);
      const model = modelOf(summary, trials, timeline);
      this.loaded.set(runId, { workspace: where, model });
      return model;
    } catch (error) {
      this.log.warn(`Reading run ${runId} failed: ${String(error)}`);
      return undefined;
    }
  }

  /** Re-reads the run folders (after another process, e.g. the CLI, wrote runs). */
  refresh(): void {
    this.cache = null;
    this.loaded.clear();
    this.changed.fire(undefined);
  }

  async start(specPath: string, options: StartOptions): Promise<RunModel> {
    return this.attach(await this.source.start(specPath, options), options.workspace);
  }

  async resume(runId: string, options: StartOptions): Promise<RunModel> {
    return this.attach(await this.source.resume(runId, options), options.workspace);
  }

  async stop(runId: string): Promise<RunSummary | undefined> {
    const live = this.live.get(runId);
    if (!live) return undefined;
    this.log.info(`Stopping run ${runId}: cancelling the queue and killing running trials`);
    return live.run.stop();
  }

  /** Stops one trial of a live run; false when the run is not live here or the trial is not running or queued. */
  stopTrial(runId: string, trialId: string): boolean {
    const live = this.live.get(runId);
    if (!live) return false;
    this.log.info(`Stopping trial ${trialId} of run ${runId} on its own`);
    return live.run.stopTrial(trialId);
  }

  delete(runId: string): void {
    const entry = this.get(runId);
    if (!entry) throw new Error(`Run ${runId} is not in the Runs view any more.`);
    if (this.live.has(runId)) throw new Error(`Run "${entry.summary.name}" is still running: stop it first.`);
    this.source.deleteRun(entry.workspace, runId);
    this.log.info(`Deleted run ${runId} (${entry.summary.runDir})`);
    this.refresh();
  }

  private attach(run: LiveRun, workspace: string): RunModel {
    const model = new RunModel(run.header);
    for (const event of run.startEvents) model.apply(event);
    const unsubscribe = run.onEvent((event) => this.handle(run.runId, model, event));
    this.live.set(run.runId, { workspace, run, model, unsubscribe });
    this.loaded.delete(run.runId);
    this.cache = null;
    this.log.info(
      `Run ${run.runId} started: ${run.header.name}, ${run.header.total} trials planned (${run.header.runDir})`,
    );
    this.changed.fire(undefined);
    run.done.then(
      (summary) => this.finish(run.runId, summary),
      (error: unknown) => {
        this.log.error(
          `Run ${run.runId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
        this.live.get(run.runId)?.unsubscribe();
        this.live.delete(run.runId);
        this.refresh();
      },
    );
    return model;
  }

  private handle(runId: string, model: RunModel, event: RunEvent): void {
    const change = model.apply(event);
    if (event.type === 'log') this.log[event.level](`[${model.header.name}] ${event.message}`);
    else if (event.type === 'memoryGuard') this.log.warn(`[${model.header.name}] memory guard: ${event.action}`);
    else if (event.type === 'trialFinished' && event.record.error) {
      this.log.info(`[${model.header.name}] ${event.record.trialId} ${event.record.status}: ${event.record.error}`);
    }
    this.eventEmitter.fire({ runId, event, model });
    if (change.trials.length > 0 || change.header || change.best) this.changed.fire(runId);
  }

  private finish(runId: string, summary: RunSummary): void {
    const live = this.live.get(runId);
    if (!live) return;
    live.unsubscribe();
    this.live.delete(runId);
    // The finished model stays available without re-reading the files.
    this.loaded.set(runId, { workspace: live.workspace, model: live.model });
    this.cache = null;
    this.log.info(
      `Run ${runId} ${summary.status}: ${JSON.stringify(summary.counts)}, best ${summary.best ? summary.best.value : 'none'}`,
    );
    this.finishedEmitter.fire({ runId, summary, model: live.model });
    this.changed.fire(undefined);
  }

  /** Stops every live run and waits until their processes are gone (window closing, extension off). */
  async stopAll(): Promise<void> {
    await Promise.allSettled([...this.live.values()].map((l) => l.run.stop()));
  }

  dispose(): void {
    void this.stopAll();
    this.changed.dispose();
    this.eventEmitter.dispose();
    this.finishedEmitter.dispose();
  }
}

export function modelOf(summary: RunSummary, trials: TrialRecord[], timeline?: RunTimeline): RunModel {
  const model = new RunModel(headerOf(summary));
  model.loadRecords(trials);
  if (timeline) model.loadTimeline(timeline.usage, timeline.decisions);
  if (summary.best) model.setBest(summary.best);
  return model;
}
