import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunModel, type TrialRow } from '../../../src/core/runView/runModel';
import { parseFilter, TrialTable } from '../../../src/core/runView/trialTable';
import { header, record } from './fixtures';

function rows(): TrialRow[] {
  const model = new RunModel(header());
  return model.loadRecords([
    record('t0', { params: { depth: 10, crit: 'gini' }, value: 0.8, wallMs: 3000, peakRssBytes: 300 }),
    record('t1', { params: { depth: null, crit: 'entropy' }, value: 0.9, wallMs: 1000, peakRssBytes: 100 }),
    record('t2', {
      params: { depth: 20, crit: 'gini' },
      status: 'failed',
      value: null,
      error: 'exit code 1: MemoryError',
      wallMs: 2000,
    }),
    record('t3', { params: { depth: 5, crit: 'entropy' }, value: 0.85, wallMs: 500, cpuMs: 1000, peakRssBytes: 200 }),
  ]);
}
const ids = (t: TrialTable) => t.rows.map((r) => r.trialId);

describe('TrialTable', () => {
  it('sorts by metric both ways with empty values last, and by params (null last, numbers numerically)', () => {
    const t = new TrialTable({ column: 'value', direction: 'desc' });
    t.reset(rows());
    assert.deepEqual(ids(t), ['t1', 't3', 't0', 't2']);
    t.setSort({ column: 'value', direction: 'asc' });
    assert.deepEqual(ids(t), ['t0', 't3', 't1', 't2']);
    t.setSort({ column: 'param:depth', direction: 'asc' });
    assert.deepEqual(ids(t), ['t3', 't0', 't2', 't1']);
    t.setSort({ column: 'param:crit', direction: 'asc' });
    assert.deepEqual(ids(t), ['t1', 't3', 't0', 't2'], 'ties keep arrival order');
    t.setSort({ column: 'wall', direction: 'asc' });
    assert.deepEqual(ids(t), ['t3', 't1', 't2', 't0']);
    t.setSort({ column: 'cpu', direction: 'desc' });
    assert.equal(ids(t)[0], 't3', 'cpu time / wall time: 200% beats 90%');
  });

  it('sorts trial ids naturally, whatever order they arrived in', () => {
    const model = new RunModel(header());
    const t = new TrialTable({ column: 'id', direction: 'asc' });
    t.reset(model.loadRecords([record('t10'), record('t2'), record('r1-t0001'), record('t1')]));
    assert.deepEqual(ids(t), ['r1-t0001', 't1', 't2', 't10']);
  });

  it('filters by words, statuses, param comparisons, metric comparisons and negation', () => {
    const t = new TrialTable();
    t.reset(rows());
    t.setFilter('failed');
    assert.deepEqual(ids(t), ['t2']);
    t.setFilter('memoryerror');
    assert.deepEqual(ids(t), ['t2'], 'error text is searched');
    t.setFilter('crit=gini');
    assert.deepEqual(ids(t), ['t0', 't2']);
    t.setFilter('depth>=10');
    assert.deepEqual(ids(t), ['t0', 't2']);
    t.setFilter('value>0.82 crit:entr');
    assert.deepEqual(ids(t), ['t1', 't3']);
    t.setFilter('-status:done');
    assert.deepEqual(ids(t), ['t2']);
    t.setFilter('depth=None');
    assert.deepEqual(ids(t), ['t1'], 'a null param matches None (as shown) and null');
    t.setFilter('depth=null');
    assert.deepEqual(ids(t), ['t1']);
    t.setFilter('depth=nonexistent');
    assert.deepEqual(ids(t), []);
    t.setFilter('');
    assert.equal(t.rows.length, 4);
    assert.equal(parseFilter('  ').length, 0);
  });

  it('moves a changed row to its sorted place without re-sorting and reports when nothing moved', () => {
    const model = new RunModel(header());
    const t = new TrialTable({ column: 'value', direction: 'desc' }, '-queued');
    t.reset(model.rows());
    const queued = model.apply({
      type: 'trialQueued',
      at: 1,
      trialId: 'a',
      params: { x: 1 },
      rung: 0,
      fraction: 1,
      attempt: 1,
    });
    assert.equal(t.upsert(queued.trials[0]), false, 'a queued row is filtered out');
    assert.equal(t.rows.length, 0);
    assert.equal(t.totalRows, 1);
    for (const [id, value] of [
      ['a', 0.5],
      ['b', 0.9],
      ['c', 0.7],
    ] as const) {
      const change = model.apply({ type: 'trialFinished', at: 2, record: record(id, { value }), best: null });
      assert.equal(t.upsert(change.trials[0]), true);
    }
    assert.deepEqual(ids(t), ['b', 'c', 'a']);
    const usage = model.apply({
      type: 'trialUsage',
      at: 3,
      usage: [{ trialId: 'a', pid: 1, rssBytes: 5, pssBytes: null, cpuPercent: 1 }],
    });
    assert.equal(t.upsert(usage.trials[0]), false, 'same sort key: repaint in place');
    const again = model.apply({
      type: 'trialFinished',
      at: 4,
      record: record('a', { value: 0.95, attempt: 2 }),
      best: null,
    });
    assert.equal(t.upsert(again.trials[0]), true);
    assert.deepEqual(ids(t), ['a', 'b', 'c']);
    // The incremental order equals a full sort of the same rows.
    const fresh = new TrialTable({ column: 'value', direction: 'desc' }, '-queued');
    fresh.reset(model.rows());
    assert.deepEqual(ids(fresh), ids(t));
  });

  it('stays equal to a full sort over many random updates', () => {
    const model = new RunModel(header());
    const t = new TrialTable({ column: 'peak', direction: 'asc' }, 'status:done');
    let seed = 7;
    const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 0; i < 2000; i++) {
      const id = `t${Math.floor(rand() * 300)}`;
      const status = rand() < 0.8 ? 'done' : 'failed';
      const change = model.apply({
        type: 'trialFinished',
        at: i,
        record: record(id, { status, peakRssBytes: Math.floor(rand() * 50) }),
        best: null,
      });
      t.upsert(change.trials[0]);
    }
    const fresh = new TrialTable({ column: 'peak', direction: 'asc' }, 'status:done');
    fresh.reset(model.rows());
    assert.deepEqual(ids(t), ids(fresh));
  });
});
