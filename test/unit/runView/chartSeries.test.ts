import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bestLineLabel,
  halvingBestNote,
  memoryTick,
  memoryUnit,
  metricSeries,
  usageSeries,
  WHOLE_NUMBER_STEPS,
  wholeTicks,
} from '../../../src/core/runView/chartSeries';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;

const row = (trialId: string, value: number | null, rung = 0, endedAt = 0, status: 'done' | 'failed' = 'done') => ({
  trialId,
  value,
  rung,
  endedAt,
  status,
});

describe('metric chart series', () => {
  it('plots finished trials in finishing order; the best so far never gets worse', () => {
    const s = metricSeries(
      [row('t2', 0.7, 0, 30), row('t0', 0.8, 0, 10), row('t1', 0.75, 0, 20), row('t3', null, 0, 40, 'failed')],
      'max',
    );
    assert.deepEqual(s.xs, [1, 2, 3]);
    assert.deepEqual(s.ids, ['t0', 't1', 't2']);
    assert.deepEqual(s.values, [0.8, 0.75, 0.7]);
    assert.deepEqual(s.best, [0.8, 0.8, 0.8]);
    const min = metricSeries([row('a', 3, 0, 1), row('b', 5, 0, 2), row('c', 1, 0, 3)], 'min');
    assert.deepEqual(min.best, [3, 3, 1]);
  });

  it('halving: the best at the highest rung reached; a new rung starts a new line instead of dropping', () => {
    // The run: rung 0 best 0.7817, then rung 1 (more data) scores 0.7575 at first.
    const s = metricSeries(
      [
        row('r0-t0', 0.7817, 0, 1),
        row('r0-t1', 0.74, 0, 2),
        row('r1-t0', 0.7575, 1, 3),
        row('r1-t1', 0.77, 1, 4),
        row('r1-t2', 0.76, 1, 5),
      ],
      'max',
    );
    // A gap marker between the rungs: no segment joins 0.7817 to 0.7575.
    assert.deepEqual(s.xs, [1, 2, 2.5, 3, 4, 5]);
    assert.deepEqual(s.best, [0.7817, 0.7817, null, 0.7575, 0.77, 0.77]);
    assert.deepEqual(s.values, [0.7817, 0.74, null, 0.7575, 0.77, 0.76]);
    assert.equal(s.ids[2], null);
    // Within each segment the line never gets worse.
    for (let i = 1; i < s.best.length; i++) {
      const [a, b] = [s.best[i - 1], s.best[i]];
      if (a !== null && b !== null) assert.ok(b >= a, `best went from ${a} to ${b}`);
    }
    assert.equal(bestLineLabel('roc_auc', 'halving'), 'best roc_auc so far (at the highest rung reached)');
    assert.equal(bestLineLabel('roc_auc', 'grid'), 'best roc_auc so far');
    assert.match(halvingBestNote(2), /^rung 2: the best at the highest rung reached/);
  });

  it('a late score from a lower rung is plotted but does not move the line', () => {
    const s = metricSeries([row('r1-t0', 0.7, 1, 1), row('r0-t5', 0.9, 0, 2)], 'max');
    assert.deepEqual(s.best, [0.7, 0.7]);
  });

  it('the trial axis has whole-number ticks only', () => {
    assert.ok(WHOLE_NUMBER_STEPS.every((step) => Number.isInteger(step) && step >= 1));
    assert.deepEqual(WHOLE_NUMBER_STEPS.slice(0, 6), [1, 2, 5, 10, 20, 50]);
    assert.deepEqual(wholeTicks([1, 1.2, 1.4, 2]), ['1', '', '', '2']);
  });
});

describe('memory axis', () => {
  it('the unit follows the largest reading, and the ticks are in the unit the label names', () => {
    const mib = memoryUnit(410 * MiB);
    assert.equal(mib.unit, 'MiB');
    assert.equal(memoryTick((410 * MiB) / mib.bytes, mib), '410');
    const gib = memoryUnit(3.5 * GiB);
    assert.equal(gib.unit, 'GiB');
    assert.equal(memoryTick(0.5, gib), '0.5');
    assert.equal(memoryTick(12, gib), '12');
  });

  it('the resource timeline is in that unit and breaks across a stop/resume pause', () => {
    const points = [
      { at: 1000, rssBytes: 100 * MiB, cpuPercent: 90, running: 1 },
      { at: 1500, rssBytes: 410 * MiB, cpuPercent: 180, running: 2 },
      // stopped here, resumed a minute later
      { at: 61_500, rssBytes: 200 * MiB, cpuPercent: 95, running: 1 },
      { at: 62_000, rssBytes: 210 * MiB, cpuPercent: 99, running: 1 },
    ];
    const s = usageSeries(points);
    assert.equal(s.unit.unit, 'MiB');
    assert.deepEqual(s.memory, [100, 410, null, 200, 210]);
    assert.deepEqual(s.cpu, [90, 180, null, 95, 99]);
    assert.deepEqual(s.xs, [1, 1.5, 31.5, 61.5, 62]);
    const steady = usageSeries(points.slice(0, 2));
    assert.ok(
      steady.memory.every((v) => v !== null),
      'no gap between readings half a second apart',
    );
    assert.equal(usageSeries([{ at: 0, rssBytes: 2 * GiB, cpuPercent: 1, running: 1 }]).memory[0], 2);
  });
});
