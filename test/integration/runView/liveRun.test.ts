// The VS Code side's view of a real run: the engine emits the start of a run (runStarted, the first
// trialQueued events) before startRun returns, so the adapter rebuilds them. Checked here against a
// real engine and real Python trials: the model built from the adapter ends equal to trials.jsonl.
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

/** Applies the adapter's start events, then the live ones, as the RunManager does. */
function follow(run: LiveRun): { model: RunModel; seen: string[] } {
  const model = new RunModel(run.header);
  const seen: string[] = [];
  for (const e of run.startEvents) model.apply(e);
  run.onEvent((e) => {
    seen.push(e.type);
    model.apply(e);
  });
  return { model, seen };
}

test('a started run: every planned trial is known with its params from the start, and the end matches trials.jsonl', async () => {
  const dir = workspace({
    't.py':
      'import json, time\nimport headroom_runtime as hr\np = hr.params()\ntime.sleep(0.2)\nprint(json.dumps({"acc": p["a"] / 10}))\n',
    't.tune.yaml': 'script: t.py\nparams:\n  a: [1, 5, 3, 2]\nmetric: acc\nresources:\n  workers: 1\n',
  });
  const run = await engineRunSource.start(join(dir, 't.tune.yaml'), { workspace: dir, python: { setting: python } });
  const { model, seen } = follow(run);
  assert.equal(model.trials.size, 4, 'all four planned trials are known before any live event');
  assert.deepEqual(
    model.rows().map((r) => [r.trialId, r.params, r.status]),
    [
      ['t0000', { a: 1 }, 'queued'],
      ['t0001', { a: 5 }, 'queued'],
      ['t0002', { a: 3 }, 'queued'],
      ['t0003', { a: 2 }, 'queued'],
    ],
  );
  const summary = await run.done;
  assert.equal(summary.status, 'done');
  assert.ok(seen.includes('trialStarted') && seen.includes('runFinished'));
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
  assert.deepEqual(again.model.trials.get('t0002')?.params, { a: 3 });
  assert.notEqual(again.model.trials.get('t0002')?.status, 'done');
  await resumed.stop();
});
