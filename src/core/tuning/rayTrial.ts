/** A Ray trial's state in the scheduler (rayScheduler.ts), and the task it becomes on a node (python/headroom_runtime/_ray_trial.py). */
import type { ClusterNode } from './events';
import type { RayNodeState } from './rayDriver';
import { paramArg } from './pythonProcess';
import type { Queued } from './schedulerTypes';
import type { ResolvedSpec } from './types';

export interface RaySchedulerConfig {
  address: string;
  runId: string;
  nodes: RayNodeState[];
  workers: number | null;
  dataEstimateBytes: number | null;
  /** Shipped-data note for the trials: where the data file is expected on a node. */
  data: { path: string; relative: string | null } | null;
  logLimitBytes: number;
  criticalBytes: number;
  useCache: boolean;
}

/** Reruns of one trial lost with a node or worker before it is given up (a cluster losing node after node). */
export const MAX_LOSSES = 3;

export interface RayQueued extends Queued {
  memoryRetried?: boolean;
  losses?: number;
}

export interface Flight {
  q: RayQueued;
  memoryBytes: number;
  nodeId: string | null;
  node: string | null;
  pid: number;
  startedAt: number;
  currentBytes: number;
  peakBytes: number;
  cpuMs: number;
  /** When the last usage reading arrived (0: none yet). */
  usageAt: number;
  cpuPercent: number;
  kill: 'cancel' | 'timeout' | null;
  stoppedAlone: boolean;
  timer: NodeJS.Timeout | null;
}

/** What the driver submits as one Ray task: the trial, the memory it asks for, and what its node guard needs. */
export function trialPayload(spec: ResolvedSpec, cfg: RaySchedulerConfig, q: Queued, memoryBytes: number) {
  return {
    runId: cfg.runId,
    trialId: q.trialId,
    attempt: q.attempt,
    // The code ships as the working directory: the entry is named relative to it.
    entry: spec.entryFile.startsWith(spec.cwd + '/') ? spec.entryFile.slice(spec.cwd.length + 1) : spec.entryFile,
    args: spec.args,
    // Objective mode: one actor per slot imports the module once (python/headroom_runtime/_ray_objective.py).
    objective: spec.objective,
    metric: spec.metric,
    paramArgs: Object.entries(q.params).flatMap(([k, v]) => [`--${k}`, paramArg(v)]),
    params: q.params,
    fraction: q.fraction,
    seed: spec.seed,
    threads: spec.resources.threadsPerTrial,
    // The marker the memory-by-owner crawl knows a run's processes by, as locally.
    env: { ...spec.env, HEADROOM_RUN_ID: cfg.runId },
    memoryBytes,
    logLimitBytes: cfg.logLimitBytes,
    criticalBytes: cfg.criticalBytes,
    data: cfg.data,
  };
}

/** The nodes with this run's trials on each and their measured memory (the Resources view's rows). */
export function clusterNodes(nodes: RayNodeState[], flights: Iterable<Flight>): ClusterNode[] {
  const all = [...flights];
  return nodes.map((n) => {
    const here = all.filter((f) => f.nodeId === n.nodeId);
    return { ...n, trials: here.map((f) => f.q.trialId), trialBytes: here.reduce((s, f) => s + f.currentBytes, 0) };
  });
}

/** What is running where, for a view that opens mid-run (RunSnapshot less the queue). */
export function flightSnapshot(nodes: RayNodeState[], flights: Iterable<Flight>) {
  const all = [...flights];
  return {
    running: all.map((f) => ({
      trialId: f.q.trialId,
      attempt: f.q.attempt,
      pid: f.pid,
      startedAt: f.startedAt,
      params: f.q.params,
      forecastBytes: f.memoryBytes,
      node: f.node ?? undefined,
    })),
    cluster: clusterNodes(nodes, all),
  };
}
