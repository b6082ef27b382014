import uPlot from 'uplot';
import type { ResourceSample } from '../../src/core/monitor/sample';
import { axisStyle, chartColor, CYCLE } from '../shared/chartTheme';
import { yTicks } from './layout';

const GiB = 1024 ** 3;

const pad2 = (n: number) => String(n).padStart(2, '0');
export function clockLabel(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/**
 * The time axis of the Resources charts: one row of clock labels, not uPlot's extra date row (which
 * overlaps itself in a narrow view), and only that row's height (uPlot keeps 50 px for two rows): the
 * plot keeps the rest.
 */
export const CLOCK_AXIS: Pick<uPlot.Axis, 'space' | 'size' | 'values'> = {
  space: 70,
  size: 28,
  values: (_u, vals) => vals.map(clockLabel),
};

/** Plot height the view sets for its charts (main.ts fits them to the view's height). */
let currentHeight = 140;
export function chartHeight(): number {
  return currentHeight;
}
export function setChartHeight(height: number): void {
  currentHeight = height;
}

/** One live chart: a uPlot instance over columns of samples, trimmed to the history window. */
export interface LiveChart {
  readonly host: HTMLElement;
  setSamples(samples: ResourceSample[]): void;
  /** `height`: the plot's height; the view makes its charts shorter when it is short (they must all fit). */
  resize(width: number, height?: number): void;
  destroy(): void;
}

interface SeriesSpec {
  label: string;
  color: string;
  width?: number;
  dash?: number[];
  value: (s: ResourceSample) => number | null;
}

function makeChart(
  host: HTMLElement,
  title: string,
  unit: string,
  range: (s: ResourceSample[]) => [number, number],
  series: SeriesSpec[],
): LiveChart {
  const axis = axisStyle();
  let samples: ResourceSample[] = [];
  const opts: uPlot.Options = {
    title: undefined,
    width: Math.max(160, host.clientWidth),
    height: chartHeight(),
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true }, y: { range: () => range(samples) } },
    axes: [
      {
        ...axis,
        ...CLOCK_AXIS,
      },
      {
        ...axis,
        size: 44,
        splits: (_u, _axis, min, max, step) => yTicks(min, max, step),
        values: (_u, vals) => vals.map((v) => `${+v.toFixed(1)}${unit}`),
      },
    ],
    series: [
      {},
      ...series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: s.width ?? 1.5,
        dash: s.dash,
        points: { show: false },
      })),
    ],
  };
  const toData = (): uPlot.AlignedData => [
    samples.map((s) => s.timestamp / 1000),
    ...series.map((spec) => samples.map((s) => spec.value(s))),
  ];
  const plot = new uPlot(opts, toData(), host);
  host.setAttribute('aria-label', title);
  return {
    host,
    setSamples(next) {
      samples = next;
      plot.setData(toData());
      host.dataset.points = String(samples.length);
    },
    resize(width, height = chartHeight()) {
      plot.setSize({ width: Math.max(160, width), height });
    },
    destroy() {
      plot.destroy();
    },
  };
}

export function cpuChart(host: HTMLElement, cores: number): LiveChart {
  // Per-core lines cycle through the theme's chart colours, so neighbouring cores can be told apart.
  const coreColor = (i: number) => chartColor[CYCLE[i % CYCLE.length]]();
  return makeChart(host, 'CPU load, total and per core, percent', '%', () => [0, 100], [
    { label: 'Total', color: chartColor.blue(), width: 2.5, value: (s) => s.cpu.percent },
    ...Array.from({ length: cores }, (_, i) => ({
      label: `Core ${i}`,
      color: coreColor(i),
      width: 1,
      dash: [4, 3],
      value: (s: ResourceSample) => s.cpu.cores[i] ?? null,
    })),
  ]);
}

export function memoryChart(host: HTMLElement): LiveChart {
  return makeChart(
    host,
    'Memory used and available, GiB',
    ' G',
    (s) => [0, Math.max(1, ...s.map((x) => x.memory.totalBytes / GiB))],
    [
      {
        label: 'Used',
        color: chartColor.orange(),
        width: 2,
        value: (s) => s.memory.usedBytes / GiB,
      },
      {
        label: 'Available',
        color: chartColor.green(),
        width: 2,
        value: (s) => s.memory.availableBytes / GiB,
      },
      {
        label: 'Swap used',
        color: chartColor.red(),
        width: 1,
        dash: [4, 3],
        value: (s) => s.swap.usedBytes / GiB,
      },
    ],
  );
}

export function gpuChart(host: HTMLElement, gpus: number): LiveChart {
  const palette = [chartColor.blue, chartColor.yellow, chartColor.green, chartColor.purple];
  return makeChart(
    host,
    'GPU utilisation and memory, percent',
    '%',
    () => [0, 100],
    Array.from({ length: gpus }, (_, i) => {
      const color = palette[i % palette.length]();
      return [
        {
          label: `GPU ${i} util`,
          color,
          width: 2,
          value: (s: ResourceSample) => s.gpus[i]?.utilizationPercent ?? null,
        },
        {
          label: `GPU ${i} memory`,
          color,
          width: 1,
          dash: [4, 3],
          value: (s: ResourceSample) => {
            const g = s.gpus[i];
            return g && g.memoryUsedBytes !== null && g.memoryTotalBytes
              ? (g.memoryUsedBytes / g.memoryTotalBytes) * 100
              : null;
          },
        },
      ];
    }).flat(),
  );
}
