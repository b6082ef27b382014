/**
 * What the run panel's charts plot, without the DOM: the metric chart's points and its best-so-far
 * line (halving rungs compared as the run's best compares them), the memory unit its axis and label
 * share, whole-number ticks for the trial axis, and the resource timeline with gaps where nothing
 * was measured (a run stopped and resumed later) instead of a line across the pause.
 */
import type { RunTrialRow, RunUsagePoint } from './viewTypes';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

export interface MetricSeries {
  /** Trial number in finishing order (1, 2, ...); a gap marker sits half-way between two rungs. */
  xs: number[];
  values: (number | null)[];
  /**
   * Best so far at the highest rung reached: it never gets worse within a rung, and a higher rung
   * (scores on more data, which outrank any score on less) starts a new line instead of joining
   * the previous one.
   */
  best: (number | null)[];
  /** Trial id per x (null at gap markers). */
  ids: (string | null)[];
}

type Point = Pick<RunTrialRow, 'trialId' | 'value' | 'rung' | 'status' | 'endedAt'>;

/** The rows that have a point: finished with a value (done or cached), in finishing order. */
export function metricRows<T extends Point>(rows: Iterable<T>): T[] {
  return [...rows]
    .filter((r) => r.value !== null && r.endedAt !== null && (r.status === 'done' || r.status === 'cached'))
    .sort((a, b) => a.endedAt! - b.endedAt!);
}

/** Builds a metric series incrementally (push per finished trial), so a live chart adds O(1) per trial. */
export class MetricSeriesBuilder {
  readonly series: MetricSeries = { xs: [], values: [], best: [], ids: [] };
  private count = 0;
  private rung = -1;
  private bestValue: number | null = null;

  constructor(private readonly mode: 'max' | 'min') {}

  push(row: Point): void {
    if (row.value === null) return;
    if (row.rung > this.rung) {
      // A new rung: its scores are not comparable with the last rung's, so the line breaks here.
      if (this.count > 0) this.append(this.count + 0.5, null, null, null);
      this.rung = row.rung;
      this.bestValue = null;
    }
    // A late score from a lower rung (a resumed run) is plotted but never lowers the line.
    const sameRung = row.rung === this.rung;
    if (
      sameRung &&
      (this.bestValue === null || (this.mode === 'max' ? row.value > this.bestValue : row.value < this.bestValue))
    )
      this.bestValue = row.value;
    this.count++;
    this.append(this.count, row.value, this.bestValue, row.trialId);
  }

  private append(x: number, value: number | null, best: number | null, id: string | null): void {
    this.series.xs.push(x);
    this.series.values.push(value);
    this.series.best.push(best);
    this.series.ids.push(id);
  }
}

export function metricSeries(rows: Iterable<Point>, mode: 'max' | 'min'): MetricSeries {
  const builder = new MetricSeriesBuilder(mode);
  for (const r of metricRows(rows)) builder.push(r);
  return builder.series;
}

/**
 * How a halving run's best is chosen, for the panel's best line: the best at the highest rung
 * reached (scores on more data outrank any on less, as in scikit-learn's HalvingGridSearchCV), so
 * the value may be lower than an earlier rung's best without anything getting worse.
 */
export function halvingBestNote(rung: number): string {
  return `rung ${rung}: the best at the highest rung reached, where trials see the most data`;
}

/** The legend's words for the best-so-far line. */
export function bestLineLabel(metric: string, search: 'grid' | 'random' | 'halving'): string {
  return search === 'halving' ? `best ${metric} so far (at the highest rung reached)` : `best ${metric} so far`;
}

/** Tick steps for an axis that counts things: whole numbers only (1, 2, 5, 10, ...). */
export const WHOLE_NUMBER_STEPS: number[] = [1, 2, 5]
  .flatMap((m) => [1, 10, 100, 1000, 10_000, 100_000].map((p) => m * p))
  .sort((a, b) => a - b);

/** Keeps whole-number ticks; drops a fractional one should a range still produce it. */
export function wholeTicks(values: number[]): string[] {
  return values.map((v) => (Number.isInteger(v) ? String(v) : ''));
}

export interface MemoryUnit {
  unit: 'MiB' | 'GiB';
  bytes: number;
}

/** The unit the memory axis and its label share: MiB below 1 GiB, GiB from there. */
export function memoryUnit(maxBytes: number): MemoryUnit {
  return maxBytes >= GiB ? { unit: 'GiB', bytes: GiB } : { unit: 'MiB', bytes: MiB };
}

/** A tick of the memory axis, in the unit of its label (no suffix: the label says it). */
export function memoryTick(value: number, unit: MemoryUnit): string {
  if (unit.unit === 'MiB') return String(Math.round(value));
  return String(+value.toFixed(value < 10 ? 1 : 0));
}

/** Readings further apart than this were not one stretch of running (stop and resume, an idle engine). */
export const USAGE_GAP_MS = 10_000;

export interface UsageSeries {
  /** Seconds (uPlot's time scale). */
  xs: number[];
  memory: (number | null)[];
  cpu: (number | null)[];
  unit: MemoryUnit;
}

/** The resource timeline in the memory unit of its largest reading, broken where readings pause. */
export function usageSeries(points: readonly RunUsagePoint[], gapMs = USAGE_GAP_MS): UsageSeries {
  const unit = memoryUnit(points.reduce((m, p) => Math.max(m, p.rssBytes), 0));
  const out: UsageSeries = { xs: [], memory: [], cpu: [], unit };
  let previous: number | null = null;
  for (const p of points) {
    if (previous !== null && p.at - previous > gapMs) {
      out.xs.push((previous + p.at) / 2000);
      out.memory.push(null);
      out.cpu.push(null);
    }
    out.xs.push(p.at / 1000);
    out.memory.push(p.rssBytes / unit.bytes);
    out.cpu.push(p.cpuPercent);
    previous = p.at;
  }
  return out;
}
