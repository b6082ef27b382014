// A run's memory/CPU timeline and admission decisions survive the run: what a panel reopened after a
// window reload draws is what the live panel drew.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRun } from '../../../src/core/tuning';
import { RunModel, usagePointOf } from '../../../src/core/runView/runModel';
import { headerOf } from '../../../src/core/runView/runTree';
import { runToEnd, spec, workspace } from './helpers';

const HOLD = `
import argparse, time
import headroom_runtime as hr
p = argparse.ArgumentParser()
p.add_argument('--mb', type=int)
args = p.parse_args()
block = bytearray(args.mb * 1024 * 1024)  # touched, so it is resident
for i in range(0, len(block), 4096):
    block[i] = 1
time.sleep(1.0)
hr.report(score=args.mb)
`;

test('the timeline on disk holds the usage points and decisions the run emitted', async () => {
  const dir = workspace({ 'hold.py': HOLD });
  const file = spec(dir, 'hold.tune.yaml', 'script: hold.py\nparams:\n  mb: [40, 60]\nmetric: score\n');
  const { summary, events } = await runToEnd(file);
  assert.equal(summary.status, 'done');

  const emitted = events.flatMap((e) => (e.type === 'trialUsage' ? [usagePointOf(e.at, e.usage)] : []));
  const decisions = events.flatMap((e) => (e.type === 'concurrency' ? [e.decision] : []));
  const { trials, timeline } = readRun(dir, summary.runId);
  assert.deepEqual(timeline.usage, emitted);
  assert.deepEqual(timeline.decisions, decisions);
  assert.ok(decisions.length > 0);
  const busy = timeline.usage.filter((u) => u.running > 0);
  assert.ok(busy.length >= 3, `${busy.length} points with a running trial`);
  assert.ok(Math.max(...busy.map((u) => u.rssBytes)) > 40 * 1024 * 1024, 'the trials’ memory is in it');

  // the model a reopened panel builds equals the live one
  const live = new RunModel(headerOf(summary));
  for (const e of events) live.apply(e);
  const restored = new RunModel(headerOf(summary));
  restored.loadRecords(trials);
  restored.loadTimeline(timeline.usage, timeline.decisions);
  assert.deepEqual(restored.usage, live.usage);
  assert.deepEqual(restored.decisions, live.decisions);
});
