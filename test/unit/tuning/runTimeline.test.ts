import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { ConcurrencyDecision, RunEvent } from '../../../src/core/tuning/events';
import { readTimeline, RunTimelineWriter, timelinePath } from '../../../src/core/tuning/runTimeline';
import { USAGE_POINTS_KEPT } from '../../../src/core/runView/runModel';

const root = mkdtempSync(join(tmpdir(), 'headroom-timeline-'));
after(() => rmSync(root, { recursive: true, force: true }));

const decision = (at: number, allowed: number): ConcurrencyDecision => ({
  at,
  allowed,
  slots: 2,
  running: allowed,
  bound: 'memory',
  availableBytes: 2e9,
  perTrialBytes: 1e9,
  budgetBytes: 2e9,
  reason: `${allowed} of 2 slots: memory-bound`,
});

const usage = (at: number, ...rss: number[]): RunEvent => ({
  type: 'trialUsage',
  at,
  usage: rss.map((r, i) => ({ trialId: `t${i}`, pid: 100 + i, rssBytes: r, pssBytes: null, cpuPercent: 50 })),
});

test('the timeline keeps summed usage points and decisions, and nothing else', () => {
  const dir = mkdtempSync(join(root, 'run-'));
  const writer = new RunTimelineWriter(timelinePath(dir));
  writer.record({ type: 'concurrency', at: 1, decision: decision(1, 1) });
  writer.record(usage(2, 100, 200));
  writer.record({ type: 'trialProgress', at: 3, trialId: 't0', step: 1, metrics: { acc: 1 } } as RunEvent);
  writer.record(usage(4));
  const timeline = readTimeline(dir);
  assert.deepEqual(timeline.decisions, [decision(1, 1)]);
  assert.deepEqual(timeline.usage, [
    { at: 2, rssBytes: 300, cpuPercent: 100, running: 2 },
    { at: 4, rssBytes: 0, cpuPercent: 0, running: 0 },
  ]);
});

test('a line cut short by a crash is skipped, and writing goes on from a fresh line', () => {
  const dir = mkdtempSync(join(root, 'run-'));
  const path = timelinePath(dir);
  new RunTimelineWriter(path).record(usage(1, 10));
  appendFileSync(path, '{"usage":{"at":2,"rss');
  new RunTimelineWriter(path).record({ type: 'concurrency', at: 3, decision: decision(3, 2) });
  const timeline = readTimeline(dir);
  assert.deepEqual(
    timeline.usage.map((u) => u.at),
    [1],
  );
  assert.deepEqual(timeline.decisions, [decision(3, 2)]);
  assert.equal(readFileSync(path, 'utf8').split('\n').length, 4, 'the cut line stays on its own');
});

test('a run without a timeline reads as empty; a long one keeps the newest points the chart holds', () => {
  assert.deepEqual(readTimeline(mkdtempSync(join(root, 'old-run-'))), { usage: [], decisions: [] });
  const dir = mkdtempSync(join(root, 'run-'));
  const writer = new RunTimelineWriter(timelinePath(dir));
  for (let i = 0; i < USAGE_POINTS_KEPT + 5; i++) writer.record(usage(i, i));
  const kept = readTimeline(dir).usage;
  assert.equal(kept.length, USAGE_POINTS_KEPT);
  assert.equal(kept[0].at, 5);
  assert.equal(kept.at(-1)!.at, USAGE_POINTS_KEPT + 4);
});

test('a timeline that cannot be written stops quietly (the run goes on)', () => {
  const writer = new RunTimelineWriter(join(root, 'no-such-dir', 'timeline.jsonl'));
  assert.doesNotThrow(() => writer.record(usage(1, 10)));
  assert.doesNotThrow(() => writer.record(usage(2, 10)));
});
