import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CHART_CHROME_PX,
  fittedChartHeight,
  isCompact,
  MAX_CHART_PX,
  MIN_CHART_PX,
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
