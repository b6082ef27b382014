/**
 * The Runs view as data: run nodes (newest first) and trial nodes with status icons and the best
 * trial marked. The VS Code glue maps these one to one onto TreeItems.
 */
import type { RunBest, RunSummary } from '../tuning/events';
import type { RunStatus, TrialStatus } from '../tuning/runFiles';
import { runActions, runContextValue } from './runActions';
import { bestText, formatMetric, formatParams, runStatusText, trialStatusText } from './reasons';
import { isFinished, type RunHeader, type TrialRow } from './runModel';

export interface IconRef {
  /** Codicon id, e.g. "pass", "sync~spin". */
  id: string;
  /** Theme color id, e.g. "testing.iconPassed"; undefined: the default foreground. */
  color?: string;
}

export interface RunNode {
  kind: 'run';
  runId: string;
  label: string;
  description: string;
  tooltip: string;
  icon: IconRef;
  /** For view/item/context when-clauses: "run-running", "run-done", "run-interrupted", ... */
  contextValue: string;
  startedAt: number;
}

export interface TrialNode {
  kind: 'trial';
  runId: string;
  trialId: string;
  label: string;
  description: string;
  tooltip: string;
  icon: IconRef;
  contextValue: string;
  best: boolean;
}

/** One icon per status, colored like the Testing view so the meaning carries across VS Code. */
export const TRIAL_ICONS: Record<TrialStatus, IconRef> = {
  queued: { id: 'circle-large-outline', color: 'descriptionForeground' },
  running: { id: 'sync~spin', color: 'charts.blue' },
  done: { id: 'pass', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  timeout: { id: 'watch', color: 'testing.iconFailed' },
  killed: { id: 'circle-slash', color: 'testing.iconErrored' },
  pruned: { id: 'debug-step-out', color: 'descriptionForeground' },
  cached: { id: 'database', color: 'testing.iconPassed' },
  cancelled: { id: 'circle-slash', color: 'descriptionForeground' },
};

const RUN_ICONS: Record<RunStatus, IconRef> = {
  running: { id: 'loading~spin', color: 'charts.blue' },
  done: { id: 'check-all', color: 'testing.iconPassed' },
  failed: { id: 'error', color: 'testing.iconFailed' },
  stopped: { id: 'debug-stop', color: 'descriptionForeground' },
  interrupted: { id: 'debug-pause', color: 'testing.iconQueued' },
};

export const BEST_ICON: IconRef = { id: 'star-full', color: 'charts.yellow' };

/** The run summary as the header the faces work from. */
export function headerOf(s: RunSummary): RunHeader {
  return {
    runId: s.runId,
    name: s.name,
    runDir: s.runDir,
    specPath: s.specPath,
    metric: s.metric,
    mode: s.mode,
    search: s.search,
    status: s.status,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    total: s.total,
    ...(s.error ? { error: s.error } : {}),
    ...(s.source ? { source: s.source } : {}),
  };
}

/** Trials that reached a final state, from a summary's counts. */
export function finishedOf(counts: RunSummary['counts']): number {
  let n = 0;
  for (const [status, count] of Object.entries(counts)) if (isFinished(status as TrialStatus)) n += count ?? 0;
  return n;
}

function localTime(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * When a run started, short enough for a row and a tab: "14:05" today, "Dec 5 14:05" this year,
 * "Dec 5 2025 14:05" before. Reruns of one spec share a name; this tells them apart.
 */
export function startedText(at: number, now = Date.now()): string {
  const d = new Date(at);
  const today = new Date(now);
  const time = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  if (d.toDateString() === today.toDateString()) return time;
  const day = `${MONTHS[d.getMonth()]} ${d.getDate()}`;
  return d.getFullYear() === today.getFullYear() ? `${day} ${time}` : `${day} ${d.getFullYear()} ${time}`;
}

/** The run panel's tab title: the spec's name and when the run started. */
export function runPanelTitle(run: { name: string; startedAt: number }, now = Date.now()): string {
  return `Run: ${run.name} · ${startedText(run.startedAt, now)}`;
}

export function runNode(
  header: RunHeader,
  counts: RunSummary['counts'],
  best: RunBest | null,
  now = Date.now(),
): RunNode {
  const finished = finishedOf(counts);
  const failed = (counts.failed ?? 0) + (counts.timeout ?? 0) + (counts.killed ?? 0);
  const parts = [startedText(header.startedAt, now), `${finished}/${header.total}`];
  if (best) parts.push(`${header.metric} ${formatMetric(best.value)}`);
  if (header.status !== 'done' && header.status !== 'running') parts.push(header.status);
  const tooltip = [
    `${header.name} — ${runStatusText(header.status)}`,
    `Started ${localTime(header.startedAt)}${header.endedAt ? `, ended ${localTime(header.endedAt)}` : ''}`,
    `${header.search} search, ${finished} of ${header.total} trials finished${failed ? `, ${failed} failed` : ''}`,
    best
      ? `${bestText(header.metric, best)} (${header.mode}) — ${best.trialId}: ${formatParams(best.params)}`
      : bestText(header.metric, null),
    header.error ?? '',
    header.specPath,
  ]
    .filter(Boolean)
    .join('\n');
  return {
    kind: 'run',
    runId: header.runId,
    label: header.name,
    description: parts.join(' · '),
    tooltip,
    icon: RUN_ICONS[header.status] ?? RUN_ICONS.done,
    contextValue: runContextValue(header),
    startedAt: header.startedAt,
  };
}

/** Runs newest first (ties by id, so the order is stable). */
export function sortRuns<T extends { startedAt: number; runId: string }>(runs: T[]): T[] {
  return [...runs].sort((a, b) => b.startedAt - a.startedAt || (a.runId < b.runId ? 1 : -1));
}

export function trialNode(
  runId: string,
  row: TrialRow,
  best: RunBest | null,
  metric: string,
  run: Pick<RunHeader, 'source'> = {},
): TrialNode {
  const actions = runActions(run);
  const isBest = best !== null && best.trialId === row.trialId;
  const value = row.value !== null ? `${metric} ${formatMetric(row.value)}` : '';
  const rung = row.rung > 0 ? `rung ${row.rung}` : '';
  const params = formatParams(row.params);
  const node = row.node ? `on ${row.node}` : '';
  const description = [isBest ? '★ best' : '', value, params, rung, node].filter(Boolean).join(' · ');
  const tooltip = [
    `${row.trialId}: ${trialStatusText(row)}${isBest ? ' — best trial' : ''}`,
    params && `params: ${params}`,
    row.value !== null ? `${metric}: ${formatMetric(row.value)}` : '',
    row.fraction < 1 ? `data fraction: ${formatMetric(row.fraction)}` : '',
    row.node ? `Ray node: ${row.node}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  return {
    kind: 'trial',
    runId,
    trialId: row.trialId,
    label: row.trialId,
    description,
    tooltip,
    icon: isBest ? BEST_ICON : TRIAL_ICONS[row.status],
    // A running trial can be stopped on its own; its log is there from the start.
    contextValue:
      row.status === 'running' && actions.stopTrial
        ? 'trial-running-log'
        : row.logFile && actions.logs
          ? 'trial-log'
          : 'trial',
    best: isBest,
  };
}

/** Trials in plan order (their ids sort that way: t0000, t0001, r1-t0003 after r0-...). */
export function trialNodes(
  runId: string,
  rows: TrialRow[],
  best: RunBest | null,
  metric: string,
  run: Pick<RunHeader, 'source'> = {},
): TrialNode[] {
  return [...rows]
    .sort((a, b) => a.rung - b.rung || (a.trialId < b.trialId ? -1 : a.trialId > b.trialId ? 1 : 0))
    .map((row) => trialNode(runId, row, best, metric, run));
}
