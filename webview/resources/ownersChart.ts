import uPlot from 'uplot';
import type { OwnersPoint } from '../../src/core/monitor/ownerTypes';
import { themeColor } from '../shared/vscodeApi';
import { CLOCK_AXIS } from './charts';

const GiB = 1024 ** 3;

/** Owner colours: the theme's chart colours in turn; `other` and `free` get the quiet ones. */
const PALETTE: [string, string][] = [
  ['--vscode-charts-blue', '#3794ff'],
  ['--vscode-charts-orange', '#d18616'],
  ['--vscode-charts-purple', '#b180d7'],
  ['--vscode-charts-green', '#89d185'],
  ['--vscode-charts-yellow', '#cca700'],
  ['--vscode-charts-red', '#f14c4c'],
];

/** Colours stay with an owner while it is shown, so a band does not change colour as others come and go. */
export class OwnerColors {
  private readonly assigned = new Map<string, number>();

  color(id: string): string {
    if (id === 'other') return themeColor('--vscode-descriptionForeground', '#888888');
    if (id === 'free') return themeColor('--vscode-charts-lines', '#80808080');
    let index = this.assigned.get(id);
    if (index === undefined) {
      const used = new Set(this.assigned.values());
      index = [...PALETTE.keys()].find((i) => !used.has(i)) ?? this.assigned.size % PALETTE.length;
      this.assigned.set(id, index);
    }
    return themeColor(...PALETTE[index]);
  }

  /** Forgets owners no longer shown, freeing their colours. */
  keep(ids: Set<string>): void {
    for (const id of this.assigned.keys()) if (!ids.has(id)) this.assigned.delete(id);
  }
}

/** A CSS colour with the given opacity (canvas normalises any CSS colour to #rrggbb or rgba()). */
export function withAlpha(color: string, alpha: number): string {
  const ctx = document.createElement('canvas').getContext('2d');
  if (!ctx) return color;
  ctx.fillStyle = color;
  const normal = String(ctx.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(normal);
  if (hex) return `rgba(${parseInt(hex[1], 16)}, ${parseInt(hex[2], 16)}, ${parseInt(hex[3], 16)}, ${alpha})`;
  const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(normal);
  return rgba ? `rgba(${rgba[1]},${rgba[2]},${rgba[3]}, ${alpha})` : color;
}

export interface StackedChart {
  readonly host: HTMLElement;
  setPoints(points: OwnersPoint[]): void;
  resize(width: number): void;
  destroy(): void;
}

/**
 * The split over time, stacked: each band is an owner's memory, `other` and `free` on top, so the
 * top edge is the total. Each series is the running sum up to its band, filled down to zero; the
 * upper ones are drawn first, so each band shows only its own share.
 */
export function stackedChart(
  host: HTMLElement,
  bands: { id: string; label: string }[],
  colors: OwnerColors,
): StackedChart {
  const axisColor = themeColor('--vscode-descriptionForeground', '#888');
  const gridColor = themeColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.25)');
  const font = `11px ${themeColor('--vscode-font-family', 'sans-serif')}`;
  const top = [...bands].reverse();
  const plot = new uPlot(
    {
      width: Math.max(160, host.clientWidth),
      height: 150,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
      axes: [
        {
          stroke: axisColor,
          grid: { stroke: gridColor, width: 1 },
          ticks: { stroke: gridColor },
          font,
          ...CLOCK_AXIS,
        },
        {
          stroke: axisColor,
          grid: { stroke: gridColor, width: 1 },
          ticks: { stroke: gridColor },
          font,
          size: 44,
          values: (_u, vals) => vals.map((v) => `${+v.toFixed(1)} G`),
        },
      ],
      series: [
        {},
        ...top.map((band) => {
          const color = colors.color(band.id);
          // `other` and `free` are the large quiet bands on top: a light fill keeps them from drowning
          // the owners below (the grey was heavy in light themes).
          const alpha = band.id === 'other' || band.id === 'free' ? 0.25 : 0.55;
          return { label: band.label, stroke: color, width: 1, fill: withAlpha(color, alpha), points: { show: false } };
        }),
      ],
    },
    [[]],
    host,
  );
  host.setAttribute('aria-label', `Memory by owner over time, stacked, GiB: ${bands.map((b) => b.label).join(', ')}`);
  return {
    host,
    setPoints(points) {
      const others = new Set(bands.map((b) => b.id));
      const columns = bands.map((band) =>
        points.map((p) =>
          // `other` also takes the owners without a band of their own.
          band.id === 'other'
            ? Object.entries(p.bytes).reduce((sum, [id, v]) => (others.has(id) && id !== 'other' ? sum : sum + v), 0)
            : (p.bytes[band.id] ?? 0),
        ),
      );
      // Running sums from the bottom band up, then listed top first (the drawing order).
      for (let i = 1; i < columns.length; i++) columns[i] = columns[i].map((v, j) => v + columns[i - 1][j]);
      plot.setData([points.map((p) => p.timestamp / 1000), ...columns.reverse().map((c) => c.map((v) => v / GiB))]);
      host.dataset.points = String(points.length);
    },
    resize(width) {
      plot.setSize({ width: Math.max(160, width), height: 150 });
    },
    destroy() {
      plot.destroy();
    },
  };
}
