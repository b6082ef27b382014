import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CHART_CHROME_PX,
  fittedChartHeight,
  isCompact,
  MAX_CHART_PX,
  MIN_CHART_PX,
  yTicks,
} from '../../../webview/resources/layout';

test('Resources charts shrink to fit a short view (Runs and Datasets open beside it)', () => {
  assert.equal(fittedChartHeight(900, 2), MAX_CHART_PX, 'a tall view: full height');
  // A third of a 950 px sidebar, minus headers: CPU and memory must both be visible.
  const h = fittedChartHeight(300, 2);
  assert.ok(h < MAX_CHART_PX && h >= MIN_CHART_PX, String(h));
  assert.ok(2 * (h + CHART_CHROME_PX) <= 300, 'both charts fit in the view');
  assert.equal(fittedChartHeight(120, 2), MIN_CHART_PX, 'a floor: below it the view scrolls');
  assert.ok(fittedChartHeight(300, 2, 80) < h, 'the running-trials table takes its share');
  assert.equal(isCompact(300, 2), true, 'a short view drops the legends');
  assert.equal(isCompact(900, 2), false);
});

test("a short Resources chart's y axis still shows its scale: both ends of the range", () => {
  assert.deepEqual(yTicks(0, 100, 50), [0, 50, 100], "uPlot's own ticks when two fit");
  assert.deepEqual(yTicks(0, 23.5, 5), [0, 5, 10, 15, 20]);
  assert.deepEqual(yTicks(0, 1, 0.2), [0, 0.2, 0.4, 0.6, 0.8, 1], 'no 0.6000000000000001');
  // a plot of ~30 px: uPlot's step is wider than the range, and would leave "0%" alone
  assert.deepEqual(yTicks(0, 100, 500), [0, 100]);
  assert.deepEqual(yTicks(0, 23.5, 50), [0, 23.5], 'memory: 0 and the total');
});
