/** How tall each Resources chart may be so that all of them fit in the view's height. */

/** Per chart, besides the plot: the section header, the legend and paddings (px). */
export const CHART_CHROME_PX = 62;
export const MAX_CHART_PX = 140;
export const MIN_CHART_PX = 64;

/** Below this height per chart the legends go (compact view). */
export const COMPACT_PX_PER_CHART = 200;

export function isCompact(viewHeight: number, charts: number): boolean {
  return charts > 0 && viewHeight / charts < COMPACT_PX_PER_CHART;
}

/** `chromePx`: what a chart's section takes besides its plot, as measured (header, legend, paddings). */
export function fittedChartHeight(viewHeight: number, charts: number, otherPx = 0, chromePx = CHART_CHROME_PX): number {
  if (charts <= 0) return MAX_CHART_PX;
  const share = Math.floor((viewHeight - otherPx - 8) / charts) - chromePx;
  return Math.max(MIN_CHART_PX, Math.min(MAX_CHART_PX, share));
}

/**
 * The y ticks of a Resources chart: uPlot's own (the multiples of the step it found, between the
 * range's ends), or the range's two ends when the plot is too short for two of those (the view
 * shrinks its charts to fit them all): a lone "0%" says nothing of the scale.
 */
export function yTicks(min: number, max: number, step: number): number[] {
  const ticks: number[] = [];
  if (step > 0 && Number.isFinite(step)) {
    const first = Math.ceil(min / step - 1e-9);
    for (let i = first; i * step <= max + step * 1e-9; i++) ticks.push(Number((i * step).toPrecision(12)));
  }
  return ticks.length >= 2 ? ticks : [min, max];
}
