import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunModel } from '../../../src/core/runView/runModel';
import {
  runNode,
  runPanelTitle,
  sortRuns,
  startedText,
  trialNodes,
  TRIAL_ICONS,
} from '../../../src/core/runView/runTree';
import { header, record } from './fixtures';

describe('Runs tree model', () => {
  it('lists runs newest first', () => {
    const runs = sortRuns([
      { runId: 'a', startedAt: 1 },
      { runId: 'c', startedAt: 3 },
      { runId: 'b', startedAt: 2 },
    ]);
    assert.deepEqual(
      runs.map((r) => r.runId),
      ['c', 'b', 'a'],
    );
  });

  it('describes a run with progress, best and a context value per status', () => {
    const best = { trialId: 't1', params: { n: 2 }, metrics: {}, value: 0.9 };
    const startedAt = new Date(2026, 11, 6, 14, 5).getTime();
    const now = new Date(2026, 11, 6, 18, 0).getTime();
    const node = runNode(header({ status: 'interrupted', startedAt }), { done: 2, failed: 1, running: 1 }, best, now);
    assert.equal(node.description, '14:05 · 3/4 · accuracy 0.9 · interrupted');
    assert.equal(node.contextValue, 'run-interrupted');
    assert.match(node.tooltip, /best accuracy 0\.9 \(max\) — t1: n=2/);
    assert.match(node.tooltip, /3 of 4 trials finished, 1 failed/);
    assert.equal(runNode(header(), {}, null).icon.id, 'loading~spin');
  });

  it('reruns of one spec are told apart by when they started (rows and tabs)', () => {
    const now = new Date(2026, 11, 6, 18, 0).getTime();
    assert.equal(startedText(new Date(2026, 11, 6, 9, 7).getTime(), now), '09:07');
    assert.equal(startedText(new Date(2026, 11, 5, 23, 59).getTime(), now), 'Dec 5 23:59');
    assert.equal(startedText(new Date(2025, 0, 2, 8, 0).getTime(), now), 'Jan 2 2025 08:00');
    const first = runPanelTitle({ name: 'rf', startedAt: new Date(2026, 11, 6, 9, 7).getTime() }, now);
    const rerun = runPanelTitle({ name: 'rf', startedAt: new Date(2026, 11, 6, 9, 31).getTime() }, now);
    assert.equal(first, 'Run: rf · 09:07');
    assert.notEqual(first, rerun);
    const failed = runNode(
      header({ status: 'failed', error: 'stopped after the first 2 trials all failed the same way' }),
      {},
      null,
    );
    assert.match(failed.tooltip, /stopped after the first 2 trials all failed the same way/);
  });

  it('gives every trial its status icon and marks the best', () => {
    const model = new RunModel(header());
    model.loadRecords([
      record('t2', { value: 0.5 }),
      record('t0', { value: 0.9 }),
      record('t1', { status: 'failed', error: 'exit code 1', logFile: '' }),
      record('t3', { status: 'cached', value: 0.4 }),
    ]);
    model.apply({ type: 'trialQueued', at: 1, trialId: 't4', params: { n: 5 }, rung: 0, fraction: 1, attempt: 1 });
    model.apply({
      type: 'trialStarted',
      at: 1,
      trialId: 't4',
      attempt: 1,
      pid: 1,
      forecastBytes: 0,
      logFile: 'logs/t4.log',
    });
    const nodes = trialNodes('run-1', model.rows(), model.best, 'accuracy');
    assert.deepEqual(
      nodes.map((n) => n.trialId),
      ['t0', 't1', 't2', 't3', 't4'],
    );
    assert.equal(nodes[0].best, true);
    assert.equal(nodes[0].icon.id, 'star-full');
    assert.match(nodes[0].description, /^★ best · accuracy 0\.9 · n=1$/);
    assert.equal(nodes[1].icon, TRIAL_ICONS.failed);
    assert.equal(nodes[1].contextValue, 'trial', 'no log file: no reveal-log action');
    assert.equal(nodes[2].contextValue, 'trial-log');
    assert.equal(nodes[3].icon, TRIAL_ICONS.cached);
    assert.equal(nodes[4].icon.id, 'sync~spin');
    assert.equal(nodes[4].contextValue, 'trial-running-log', 'a running trial: stop it, open its log');
    assert.equal(model.trials.get('t4')?.logFile, 'logs/t4.log');
    assert.equal(nodes.filter((n) => n.best).length, 1);
    for (const status of ['queued', 'running', 'done', 'failed', 'killed', 'cached', 'pruned'] as const) {
      assert.ok(TRIAL_ICONS[status].id, status);
    }
  });
});
