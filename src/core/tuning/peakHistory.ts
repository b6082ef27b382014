/**
 * A run's memory forecast for its next trial, shared by the local scheduler (runMemory.ts) and the
 * cluster scheduler (rayScheduler.ts): the peaks of the trials that finished well, with the declared
 * size, the data estimate and the largest running peak (the policy itself is admission.ts' forecast).
 */
import { forecast } from './admission';
import type { TrialRecord } from './runFiles';
import type { Queued } from './schedulerTypes';
import type { ResolvedSpec } from './types';

export class PeakHistory {
  private readonly peaks: number[] = [];

  constructor(earlier: Iterable<TrialRecord>) {
    for (const r of earlier) if (r.final) this.recorded(r);
  }

  /** A trial record was written: a finished trial's peak (PSS where measured) joins the history. */
  recorded(record: TrialRecord): void {
    const peak = record.peakPssBytes ?? record.peakRssBytes;
    if (record.status === 'done' && peak !== null) this.peaks.push(peak);
  }

  /** Bytes the trial `q` (the next one when undefined) is forecast to need; null while nothing is known. */
  forecast(
    spec: ResolvedSpec,
    dataEstimateBytes: number | null,
    q: Pick<Queued, 'fraction' | 'minForecast'> | undefined,
    runningPeaks: Iterable<number>,
  ): number | null {
    const runningPeak = Math.max(0, ...runningPeaks);
    const f = forecast({
      declared: spec.resources.memoryPerTrial,
      dataEstimate: dataEstimateBytes === null ? null : dataEstimateBytes * (q?.fraction ?? 1),
      finishedPeaks: this.peaks,
      runningPeak: runningPeak > 0 ? runningPeak : null,
    });
    return q && q.minForecast > 0 ? Math.max(f ?? 0, q.minForecast) : f;
  }
}
