/**
 * The run panel's charts (uPlot, theme colors): the metric of each finished trial in finishing
 * order with the best so far, and the run's memory and CPU over time with each admission decision
 * marked (a tick and the number of trials allowed from then on).
 */
import uPlot from 'uplot';
import type { RunTrialRow, RunUsagePoint } from '../../src/core/runView/viewTypes';
import type { ConcurrencyDecision } from '../../src/core/tuning/events';
import { formatMetric } from '../../src/core/runView/reasons';
import { axisStyle, chartColor, chartFont } from '../shared/chartTheme';

const GiB = 1024 ** 3;
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
  private xs: number[] = [];
  private ys: (number | null)[] = [];
  private bestLine: (number | null)[] = [];
  private bestPoint: (number | null)[] = [];
  private ids: string[] = [];
  private bestId: string | null = null;
  private bestRung = 0;

  constructor(
    readonly host: HTMLElement,
    private metric: string,
    private mode: 'max' | 'min',
  ) {
    this.plot = this.create();
  }

  private create(): uPlot {
    const value = chartColor.blue();
    const best = chartColor.yellow();
    const opts: uPlot.Options = {
      width: Math.max(200, this.host.clientWidth),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: axes((v) => formatMetric(v)),
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
          label: `best ${this.metric} so far`,
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
      `${this.metric} of each finished trial, in finishing order, with the best so far`,
    );
    return new uPlot(opts, this.data(), this.host);
  }

  private data(): uPlot.AlignedData {
    return [this.xs, this.ys, this.bestLine, this.bestPoint];
  }

  /** Rebuilds from rows (snapshot), in finishing order. */
  reset(rows: RunTrialRow[], bestId: string | null): void {
    this.xs = [];
    this.ys = [];
    this.bestLine = [];
    this.bestRung = 0;
    this.bestPoint = [];
    this.ids = [];
    const done = rows.filter(
      (r) => r.value !== null && r.endedAt !== null && (r.status === 'done' || r.status === 'cached'),
    );
    done.sort((a, b) => a.endedAt! - b.endedAt!);
    for (const r of done) this.push(r);
    this.setBest(bestId);
  }

  /** A trial finished with a value: one point more. */
  add(row: RunTrialRow): void {
    if (row.value === null || (row.status !== 'done' && row.status !== 'cached')) return;
    this.push(row);
  }

  setBest(bestId: string | null): void {
    this.bestId = bestId;
    this.bestPoint = this.ids.map((id, i) => (id === bestId ? this.ys[i] : null));
  }

  /** Applies what add/setBest changed (once per frame). */
  flush(): void {
    this.plot.setData(this.data());
    this.host.dataset.points = String(this.xs.length);
  }

  private push(row: RunTrialRow): void {
    const previous = this.bestLine.at(-1) ?? null;
    const v = row.value!;
    // Halving: a score on more data outranks any score on less (as the run's best does).
    const better =
      previous === null ||
      row.rung > this.bestRung ||
      (row.rung === this.bestRung && (this.mode === 'max' ? v > previous : v < previous));
    if (better) this.bestRung = row.rung;
    this.xs.push(this.xs.length + 1);
    this.ys.push(v);
    this.ids.push(row.trialId);
    this.bestLine.push(better ? v : previous);
    this.bestPoint.push(row.trialId === this.bestId ? v : null);
  }

  resize(width: number): void {
    this.plot.setSize({ width: Math.max(200, width), height: HEIGHT });
  }

  destroy(): void {
    this.plot.destroy();
  }
}

/** Memory (GiB, left) and CPU (% of one core, right) of the run's trials over time, with admission decisions. */
export class UsageChart {
  private plot: uPlot;
  private points: RunUsagePoint[] = [];
  private decisions: ConcurrencyDecision[] = [];

  constructor(readonly host: HTMLElement) {
    const memory = chartColor.orange();
    const cpu = chartColor.purple();
    const marker = chartColor.green();
    const font = chartFont(10);
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
        y: { range: (_u, _min, max) => [0, Math.max(0.1, max)] },
        cpu: { range: (_u, _min, max) => [0, Math.max(100, max)] },
      },
      axes: axes(
        (v) => (v < 1 ? `${Math.round(v * 1024)} M` : `${+v.toFixed(1)} G`),
        (v) => `${Math.round(v)}%`,
      ),
      series: [
        {},
        { label: 'trials memory (GiB)', stroke: memory, width: 2, points: { show: false } },
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
      'Memory and CPU of the running trials over time; dashed lines mark admission decisions with the number of trials allowed',
    );
    this.plot = new uPlot(opts, this.data(), host);
  }

  private data(): uPlot.AlignedData {
    return [
      this.points.map((p) => p.at / 1000),
      this.points.map((p) => p.rssBytes / GiB),
      this.points.map((p) => p.cpuPercent),
    ];
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
    this.plot.setData(this.data());
    this.host.dataset.points = String(this.points.length);
    this.host.dataset.decisions = String(this.decisions.length);
  }

  resize(width: number): void {
    this.plot.setSize({ width: Math.max(200, width), height: HEIGHT });
  }

  destroy(): void {
    this.plot.destroy();
  }
}
