/**
 * A run's resource timeline points: written by the engine (runTimeline.ts), drawn by the faces
 * (runModel.ts, the run panel). Pure, so the engine, the host and the webview share it.
 */
import type { RunUsagePoint } from './viewTypes';
import type { TrialUsageSample } from '../tuning/events';

/** The run's memory and CPU at one sampling tick: the sums over its running trials. */
export function usagePointOf(at: number, usage: TrialUsageSample[]): RunUsagePoint {
  let rssBytes = 0;
  let cpuPercent = 0;
  for (const u of usage) {
    rssBytes += u.rssBytes;
    cpuPercent += u.cpuPercent;
  }
  return { at, rssBytes, cpuPercent, running: usage.length };
}

/** Usage points kept for the chart: an hour at one reading a second. */
export const USAGE_POINTS_KEPT = 3600;
