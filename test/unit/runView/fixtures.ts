import type { RunEvent } from '../../../src/core/tuning/events';
import type { TrialRecord } from '../../../src/core/tuning/runFiles';
import type { RunHeader } from '../../../src/core/runView/runModel';

export const header = (over: Partial<RunHeader> = {}): RunHeader => ({
  runId: 'run-1',
  name: 'rf',
  runDir: '/w/.headroom/runs/run-1',
  specPath: '/w/rf.tune.yaml',
  metric: 'accuracy',
  mode: 'max',
  search: 'grid',
  status: 'running',
  startedAt: 1000,
  endedAt: null,
  total: 4,
  ...over,
});

export function record(trialId: string, over: Partial<TrialRecord> = {}): TrialRecord {
  return {
    runId: 'run-1',
    trialId,
    attempt: 1,
    params: { n: 1 },
    rung: 0,
    fraction: 1,
    status: 'done',
    final: true,
    metrics: {},
    value: null,
    intermediate: [],
    exitCode: 0,
    signal: null,
    error: null,
    startedAt: 2000,
    endedAt: 3000,
    wallMs: 1000,
    cpuMs: 900,
    peakRssBytes: 100 * 1024 * 1024,
    peakPssBytes: null,
    logFile: `logs/${trialId}.log`,
    logDroppedBytes: 0,
    cacheKey: 'k',
    ...over,
  };
}

export const finished = (r: TrialRecord, best: { trialId: string; value: number } | null = null): RunEvent => ({
  type: 'trialFinished',
  at: r.endedAt,
  record: r,
  best: best ? { trialId: best.trialId, value: best.value, params: {}, metrics: {} } : null,
});
