/**
 * The run panel's charts (uPlot, theme colors): the metric of each finished trial in finishing
 * order with the best so far, and the run's memory and CPU over time with each admission decision
 * marked (a tick and the number of trials allowed from then on). What they plot is computed in
 * core/runView/chartSeries.ts (unit-tested); this file only draws.
 */
import uPlot from 'uplot';
import type { RunTrialRow, RunUsagePoint } from '../../src/core/runView/viewTypes';
import type { ConcurrencyDecision } from '../../src/core/tuning/events';
import {
  bestLineLabel,
  memoryTick,
  memoryUnit,
  metricRows,
  MetricSeriesBuilder,
  usageSeries,
  WHOLE_NUMBER_STEPS,
  wholeTicks,
  type MemoryUnit,
} from '../../src/core/runView/chartSeries';
import { formatMetric } from '../../src/core/runView/reasons';
import { axisStyle, chartColor, chartFont } from '../shared/chartTheme';

const HEIGHT = 170;

function axes(unitLeft: (v: number) => string, right?: (v: number) => string): uPlot.Axis[] {
  const axis = axisStyle();
  const list: uPlot.Axis[] = [axis, { ...axis, size: 52, values: (_u, vals) => vals.map(unitLeft) }];
  if (right)
    list.push({
      ...axis,
      grid: { show: false },
      side: 1,
      scale: 'cpu',
      size: 44,
      values: (_u, vals) => vals.map(right),
    });
  return list;
}

/**
 * Square markers on one Path2D: at 10,000 trials uPlot's round points (one arc each) cost several
 * milliseconds a redraw; rectangles are a fraction of that.
 */
const squarePoints: uPlot.Series.Points.PathBuilder = (u, seriesIdx, idx0, idx1) => {
  const series = u.series[seriesIdx];
  const size = (series.points?.size ?? 4) * devicePixelRatio;
  const xs = u.data[0];
  const ys = u.data[seriesIdx];
  const fill = new Path2D();
  for (let i = idx0; i <= idx1; i++) {
    const y = ys[i];
    if (y === null || y === undefined) continue;
    const px = Math.round(u.valToPos(xs[i], 'x', true));
    const py = Math.round(u.valToPos(y, series.scale ?? 'y', true));
    fill.rect(px - size / 2, py - size / 2, size, size);
  }
  return { fill, stroke: null };
};

/** Metric per finished trial; the best so far as a step line; the best trial as a large point. */
export class MetricChart {
  private plot: uPlot;
  private builder: MetricSeriesBuilder;
  private bestPoint: (number | null)[] = [];
  private bestId: string | null = null;

  constructor(
    readonly host: HTMLElement,
    private metric: string,
    private mode: 'max' | 'min',
    private search: 'grid' | 'random' | 'halving' = 'grid',
  ) {
    this.builder = new MetricSeriesBuilder(mode);
    this.plot = this.create();
  }

  private create(): uPlot {
    const value = chartColor.blue();
    const best = chartColor.yellow();
    const [xAxis, yAxis] = axes((v) => formatMetric(v));
    const opts: uPlot.Options = {
      width: Math.max(200, this.host.clientWidth),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      // Trials are counted: whole-number ticks only.
      axes: [{ ...xAxis, incrs: WHOLE_NUMBER_STEPS, values: (_u, vals) => wholeTicks(vals) }, yAxis],
      series: [
        { label: 'finished trial' },
        {
          label: this.metric,
          stroke: value,
          width: 0,
          // Points only: no line between trials.
          paths: () => null,
          points: { show: true, size: 4, fill: value, stroke: value, paths: squarePoints },
        },
        {
          label: bestLineLabel(this.metric, this.search),
          stroke: best,
          width: 1.5,
          paths: uPlot.paths.stepped?.({ align: 1 }),
          points: { show: false },
        },
        { label: 'best trial', stroke: best, width: 0, points: { show: true, size: 11, fill: best, stroke: best } },
      ],
    };
    this.host.setAttribute(
      'aria-label',
      `${this.metric} of each finished trial, in finishing order, with the best so far` +
        (this.search === 'halving' ? ' at the highest rung reached (each rung starts a new line)' : ''),
    );
    return new uPlot(opts, this.data(), this.host);
  }

  private data(): uPlot.AlignedData {
    const s = this.builder.series;
    return [s.xs, s.values, s.best, this.bestPoint];
  }

  /** Rebuilds from rows (snapshot), in finishing order. */
  reset(rows: RunTrialRow[], bestId: string | null): void {
    this.builder = new MetricSeriesBuilder(this.mode);
    for (const r of metricRows(rows)) this.builder.push(r);
    this.setBest(bestId);
  }

  /** A trial finished with a value: one point more. */
  add(row: RunTrialRow): void {
    if (row.value === null || (row.status !== 'done' && row.status !== 'cached')) return;
    this.builder.push(row);
    const s = this.builder.series;
    while (this.bestPoint.length < s.ids.length) {
      const i = this.bestPoint.length;
      this.bestPoint.push(s.ids[i] !== null && s.ids[i] === this.bestId ? s.values[i] : null);
    }
  }

  setBest(bestId: string | null): void {
    this.bestId = bestId;
    const s = this.builder.series;
    this.bestPoint = s.ids.map((id, i) => (id !== null && id === bestId ? s.values[i] : null));
  }

  /** Applies what add/setBest changed (once per frame). */
  flush(): void {
    this.plot.setData(this.data());
    this.host.dataset.points = String(this.builder.series.ids.filter((id) => id !== null).length);
  }

  resize(width: number): void {
    this.plot.setSize({ width: Math.max(200, width), height: HEIGHT });
  }

  destroy(): void {
    this.plot.destroy();
  }
}

/** Memory (MiB or GiB, left, as the label says) and CPU (% of one core, right) of the run's trials over time, with admission decisions. */
export class UsageChart {
  private plot: uPlot;
  private points: RunUsagePoint[] = [];
  private decisions: ConcurrencyDecision[] = [];
  private unit: MemoryUnit = memoryUnit(0);

  constructor(readonly host: HTMLElement) {
    this.plot = this.create();
  }

  private create(): uPlot {
    const host = this.host;
    const memory = chartColor.orange();
    const cpu = chartColor.purple();
    const marker = chartColor.green();
    const font = chartFont(10);
    const unit = this.unit;
    const opts: uPlot.Options = {
      width: Math.max(200, host.clientWidth),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        // Decisions made before the first reading (the run's start) stay in view.
        x: {
          time: true,
          range: (_u, min, max): uPlot.Range.MinMax => {
            const first = this.decisions[0]?.at;
            return first === undefined || min === null ? [min, max] : [Math.min(min, first / 1000), max];
          },
        },
        y: { range: (_u, _min, max) => [0, Math.max(unit.unit === 'MiB' ? 10 : 0.1, max)] },
        cpu: { range: (_u, _min, max) => [0, Math.max(100, max)] },
      },
      axes: axes(
        (v) => memoryTick(v, unit),
        (v) => `${Math.round(v)}%`,
      ),
      series: [
        {},
        { label: `trials memory, RSS (${unit.unit})`, stroke: memory, width: 2, points: { show: false } },
        { label: 'trials CPU (%)', stroke: cpu, width: 1.5, scale: 'cpu', points: { show: false } },
      ],
      hooks: {
        // Admission decisions: a dashed tick at each change, labelled with the trials allowed.
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = marker;
            ctx.fillStyle = marker;
            ctx.font = font;
            ctx.setLineDash([3, 3]);
            const top = u.bbox.top;
            const bottom = u.bbox.top + u.bbox.height;
            for (const d of this.decisions) {
              const x = u.valToPos(d.at / 1000, 'x', true);
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, bottom);
              ctx.stroke();
              ctx.fillText(`${d.allowed}`, x + 2, top + 10);
            }
            ctx.restore();
          },
        ],
      },
    };
    host.setAttribute(
      'aria-label',
      `Memory (${unit.unit}) and CPU of the running trials over time; dashed lines mark admission decisions with the number of trials allowed; gaps are pauses (stopped, resumed later)`,
    );
    return new uPlot(opts, [[], [], []], host);
  }

  reset(points: RunUsagePoint[], decisions: ConcurrencyDecision[]): void {
    this.points = [...points];
    this.decisions = [...decisions];
  }

  add(point: RunUsagePoint): void {
    this.points.push(point);
  }

  addDecision(decision: ConcurrencyDecision): void {
    this.decisions.push(decision);
  }

  flush(): void {
    const series = usageSeries(this.points);
    if (series.unit.unit !== this.unit.unit) {
      // The axis label carries the unit: a new unit needs a new plot.
      this.unit = series.unit;
      this.plot.destroy();
      this.plot = this.create();
    }
    this.plot.setData([series.xs, series.memory, series.cpu]);
    this.host.dataset.points = String(this.points.length);
    this.host.dataset.decisions = String(this.decisions.length);
    this.host.dataset.memoryUnit = series.unit.unit;
  }

  resize(width: number): void {
    this.plot.setSize({ width: Math.max(200, width), height: HEIGHT });
  }

  destroy(): void {
    this.plot.destroy();
  }
}
