// The VS Code side's view of a real run: the engine replays the start of a run (runStarted, the
// trialQueued events) to a listener that subscribes after startRun returns, and a resumed run's
// earlier trials come from disk. Checked against a real engine and real Python trials: the model
// built from the adapter knows every planned trial before the first one starts, and ends equal to
// trials.jsonl.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { engineRunSource, type LiveRun } from '../../../src/tuning/engineAdapter';
import { RunModel } from '../../../src/core/runView/runModel';
import { pythons, requirePython } from '../../support/python';

const python = requirePython(pythons.test);
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-liverun-'));
  dirs.push(dir);
  mkdirSync(join(dir, '.git'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

type Row = [string, unknown, string];

/**
 * Applies the adapter's start events, then the live ones, as the RunManager does, and records
 * what the model held just before the first trial started.
 */
function follow(run: LiveRun): { model: RunModel; seen: string[]; beforeFirstStart: Promise<Row[]> } {
  const model = new RunModel(run.header);
  const seen: string[] = [];
  for (const e of run.startEvents) model.apply(e);
  let snapshot: (rows: Row[]) => void = () => {};
  const beforeFirstStart = new Promise<Row[]>((resolve) => (snapshot = resolve));
  run.onEvent((e) => {
    if (e.type === 'trialStarted' && !seen.includes('trialStarted')) {
      snapshot(model.rows().map((r): Row => [r.trialId, r.params, r.status]));
    }
    seen.push(e.type);
    model.apply(e);
  });
  return { model, seen, beforeFirstStart };
}

test('a started run: every planned trial is known with its params from the start, and the end matches trials.jsonl', async () => {
  const dir = workspace({
    't.py':
      'import json, time\nimport headroom_runtime as hr\np = hr.params()\ntime.sleep(0.2)\nprint(json.dumps({"acc": p["a"] / 10}))\n',
    't.tune.yaml': 'script: t.py\nparams:\n  a: [1, 5, 3, 2]\nmetric: acc\nresources:\n  workers: 1\n',
  });
  const run = await engineRunSource.start(join(dir, 't.tune.yaml'), { workspace: dir, python: { setting: python } });
  const { model, seen, beforeFirstStart } = follow(run);
  assert.deepEqual(await beforeFirstStart, [
    ['t0000', { a: 1 }, 'queued'],
    ['t0001', { a: 5 }, 'queued'],
    ['t0002', { a: 3 }, 'queued'],
    ['t0003', { a: 2 }, 'queued'],
  ]);
  const summary = await run.done;
  assert.equal(summary.status, 'done');
  assert.equal(seen[0], 'runStarted', "the run's start reaches a listener that subscribed after startRun returned");
  assert.equal(seen.filter((t) => t === 'runStarted').length, 1, 'and only once');
  assert.ok(seen.includes('runFinished'));
  const { trials } = engineRunSource.readRun(dir, run.runId);
  for (const record of trials) {
    const row = model.trials.get(record.trialId)!;
    assert.equal(row.status, record.status);
    assert.equal(row.value, record.value);
  }
  assert.equal(model.best?.trialId, 't0001');
  assert.equal(model.finished(), 4);
  assert.equal(model.header.status, 'done');
  assert.equal(engineRunSource.listRuns(dir)[0].runId, run.runId);
});

test('a resumed run shows its earlier trials as finished and only the rest as queued', async () => {
  const dir = workspace({
    't.py':
      'import json, time\nimport headroom_runtime as hr\np = hr.params()\ntime.sleep(0.1 if p["a"] == 1 else 30)\nprint(json.dumps({"acc": p["a"]}))\n',
    't.tune.yaml': 'script: t.py\nparams:\n  a: [1, 2, 3]\nmetric: acc\ncache: false\nresources:\n  workers: 1\n',
  });
  const first = await engineRunSource.start(join(dir, 't.tune.yaml'), { workspace: dir, python: { setting: python } });
  const { model } = follow(first);
  const deadline = Date.now() + 60_000;
  while (model.trials.get('t0001')?.status !== 'running' && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  assert.equal(model.trials.get('t0000')?.status, 'done');
  const stopped = await first.stop();
  assert.equal(stopped.status, 'stopped');

  const resumed = await engineRunSource.resume(first.runId, { workspace: dir, python: { setting: python } });
  const again = follow(resumed);
  assert.equal(again.model.trials.get('t0000')?.status, 'done', 'the finished trial is shown as finished');
  assert.equal(again.model.trials.get('t0000')?.value, 1);
  const rows = await again.beforeFirstStart;
  assert.deepEqual(
    rows.find(([id]) => id === 't0002'),
    ['t0002', { a: 3 }, 'queued'],
    'the unfinished trials are queued again',
  );
  assert.equal(rows.find(([id]) => id === 't0000')?.[2], 'done');
  await resumed.stop();
});
