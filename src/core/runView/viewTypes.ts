/**
 * A run as its faces show it (Runs view, run panel): built by runModel.ts from the engine's events,
 * sent to webview/run in the messages of src/messages/runPanel.ts. Pure types, shared with the webview.
 */
import type { ConcurrencyDecision, RunBest } from '../tuning/events';
import type { RunStatus, TrialRecord } from '../tuning/runFiles';

/** What the faces know about a run besides its trials (from its summary, then from its events). */
export interface RunHeader {
  runId: string;
  name: string;
  runDir: string;
  specPath: string;
  metric: string;
  mode: 'max' | 'min';
  search: 'grid' | 'random' | 'halving';
  status: RunStatus;
  startedAt: number;
  endedAt: number | null;
  total: number;
  /** Why the run failed as a whole (RunSummary.error). */
  error?: string;
  /** 'joblib': a search recorded by headroom_runtime's backend (RunSummary.source); see runActions.ts. */
  source?: 'joblib';
}

/**
 * One row of the run panel's table / one trial of the Runs view: the latest attempt of a trial. What
 * it shares with the trial's record means the same; the rest is null until the trial has finished.
 */
export interface RunTrialRow extends Pick<
  TrialRecord,
  'trialId' | 'attempt' | 'params' | 'rung' | 'fraction' | 'status' | 'value' | 'metrics' | 'error'
> {
  /** Arrival order: the table's default order and the sort's tie-breaker. */
  seq: number;
  startedAt: number | null;
  endedAt: number | null;
  wallMs: number | null;
  cpuMs: number | null;
  peakRssBytes: number | null;
  /** Live readings while the trial runs. */
  rssBytes: number | null;
  cpuPercent: number | null;
  /** Latest intermediate step reported. */
  step: number | null;
  logFile: string | null;
  cachedFrom: { runId: string; trialId: string } | null;
  /** The Ray node of the latest attempt (cluster runs; absent for this machine's pool). */
  node?: string | null;
  /** The node the previous attempt was lost with (it died there), while the rerun waits in the queue. */
  lostNode?: string | null;
}

/** The run's resource timeline: sums over its running trials at one moment. */
export interface RunUsagePoint {
  at: number;
  rssBytes: number;
  cpuPercent: number;
  running: number;
}

export interface RunRungInfo {
  rung: number;
  fraction: number;
  candidates: number;
}

/** Everything the run panel draws, sent once when it (re)opens; events follow. */
export interface RunPanelSnapshot {
  header: RunHeader;
  rows: RunTrialRow[];
  best: RunBest | null;
  decisions: ConcurrencyDecision[];
  usage: RunUsagePoint[];
  rungs: RunRungInfo[];
  /** Workspace Trust: resume is offered only in a trusted workspace. */
  trusted: boolean;
}
