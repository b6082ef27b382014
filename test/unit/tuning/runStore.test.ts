import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { TrialRecord } from '../../../src/core/tuning/runFiles';
import { bestOf, listRuns, parseTrialLines, readRun, RunStore } from '../../../src/core/tuning/runStore';
import { parseSpec } from '../../../src/core/tuning/spec';

const dir = mkdtempSync(join(tmpdir(), 'headroom-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));
appendFileSync(join(dir, 'train.py'), 'print(1)\n');
const spec = parseSpec('script: train.py\nparams:\n  a: [1, 2, 3]\nmetric: acc\n', join(dir, 's.tune.yaml'));

function record(trialId: string, value: number | null, extra: Partial<TrialRecord> = {}): TrialRecord {
  return {
    runId: 'r',
    trialId,
    attempt: 1,
    params: { a: 1 },
    rung: 0,
    fraction: 1,
    status: value === null ? 'failed' : 'done',
    final: true,
    metrics: value === null ? {} : { acc: value },
    value,
    intermediate: [],
    exitCode: 0,
    signal: null,
    error: null,
    startedAt: 0,
    endedAt: 1,
    wallMs: 1,
    cpuMs: 1,
    peakRssBytes: 1,
    peakPssBytes: 1,
    logFile: `logs/${trialId}.log`,
    logDroppedBytes: 0,
    cacheKey: trialId,
    ...extra,
  };
}

test('a run folder has spec, run.json, trials.jsonl, logs and a .gitignore that ignores everything', () => {
  const store = RunStore.create(dir, spec, 3);
  for (const f of ['spec.json', 'run.json', 'trials.jsonl', 'logs']) assert.ok(existsSync(join(store.dir, f)), f);
  assert.match(readFileSync(join(dir, '.headroom', '.gitignore'), 'utf8'), /^\*$/m);
  assert.equal(store.readSpec().metric, 'acc');
});

test('a truncated last line is skipped, and the next record starts on a line of its own', () => {
  const store = RunStore.create(dir, spec, 3);
  store.append(record('t0000', 0.5));
  appendFileSync(store.trialsPath, JSON.stringify(record('t0001', 0.9)).slice(0, 40));
  assert.deepEqual(
    store.readTrials().map((r) => r.trialId),
    ['t0000'],
  );
  const again = new RunStore(dir, store.runId);
  again.append(record('t0002', 0.7));
  assert.deepEqual(
    again.readTrials().map((r) => r.trialId),
    ['t0000', 't0002'],
  );
  assert.equal(parseTrialLines('\n\n{bad\n').length, 0);
});

test('a run whose owner process is gone reads as interrupted', () => {
  const store = RunStore.create(dir, spec, 3);
  store.updateMeta({ status: 'running', owner: { pid: 2 ** 22 + 7, host: hostname() } });
  assert.equal(store.readMeta().status, 'interrupted');
  assert.equal(readRun(dir, store.runId).summary.status, 'interrupted');
  store.updateMeta({ owner: { pid: process.pid, host: hostname() } });
  assert.equal(store.readMeta().status, 'interrupted', 'this process does not own it unless it is active here');
});

test('best: highest value, ties to the earlier candidate, later halving rungs win', () => {
  assert.equal(bestOf([record('t0002', 0.9), record('t0001', 0.9), record('t0000', 0.5)], 'max')?.trialId, 't0001');
  assert.equal(bestOf([record('t0002', 0.9), record('t0000', 0.5)], 'min')?.trialId, 't0000');
  assert.equal(bestOf([record('t0000', null)], 'max'), null);
  const rungs = [record('r0-t0000', 0.99), record('r1-t0001', 0.8, { rung: 1 })];
  assert.equal(bestOf(rungs, 'max')?.trialId, 'r1-t0001');
});

test('listRuns is newest first and summarises counts', () => {
  const runs = listRuns(dir);
  assert.ok(runs.length >= 3);
  for (let i = 1; i < runs.length; i++) assert.ok(runs[i - 1].startedAt >= runs[i].startedAt);
  const withTrials = runs.find((r) => (r.counts.done ?? 0) === 2);
  assert.ok(withTrials);
  assert.equal(withTrials.best?.trialId, 't0002');
});
