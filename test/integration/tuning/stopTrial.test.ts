import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../../src/core/tuning/events';
import { readRun, resumeRun, startRun } from '../../../src/core/tuning';
import { runLogPath } from '../../../src/core/tuning/runLog';
import { processesUnder, spec, testOptions, waitFor, workspace } from './helpers';

const SCRIPT = `import json, subprocess, time\nimport headroom_runtime as hr\na = hr.params()['a']\nif a == 1:\n    subprocess.Popen(['sleep', '120'])\n    time.sleep(120)\nprint(json.dumps({'acc': a}))\n`;

test('one trial stopped on its own (running or queued): the run goes on, its log tells the story', async () => {
  const dir = workspace({ 'p.py': SCRIPT });
  const file = spec(
    dir,
    'p.tune.yaml',
    'script: p.py\nparams:\n  a: [1, 2, 3, 4]\nmetric: acc\nresources:\n  workers: 2\n',
  );
  const started = Date.now();
  const handle = await startRun(file, testOptions);
  const events: RunEvent[] = [];
  handle.onEvent((e) => events.push(e));
  await waitFor(
    () =>
      events.some((e) => e.type === 'trialStarted' && e.trialId === 't0000') &&
      processesUnder(dir).some((p) => p.cmd.includes('sleep 120')),
    15_000,
    'the first trial and its child',
  );
  const first = events.find((e) => e.type === 'trialStarted' && e.trialId === 't0000');
  assert.equal(first?.type === 'trialStarted' && first.logFile, 'logs/t0000.log', 'its log is known while it runs');
  // t0003 is still queued (the first trial runs alone until it shows the script works).
  assert.equal(handle.stopTrial('t0003'), true);
  assert.equal(handle.stopTrial('t0000'), true);
  assert.equal(handle.stopTrial('t9999'), false);
  const summary = await handle.done;
  assert.ok(Date.now() - started < 30_000, 'the 120 s trial did not hold the run');
  assert.equal(summary.status, 'done');
  assert.deepEqual(summary.counts, { cancelled: 2, done: 2 });
  const by = new Map(readRun(dir, summary.runId).trials.map((t) => [t.trialId, t]));
  for (const id of ['t0000', 't0003']) {
    assert.equal(by.get(id)?.status, 'cancelled');
    assert.equal(by.get(id)?.final, true, `${id} is final: a resume does not run it again`);
    assert.match(by.get(id)?.error ?? '', /^stopped on its own/);
  }
  assert.equal(by.get('t0001')?.status, 'done');
  assert.deepEqual(processesUnder(dir), []);

  const log = readFileSync(runLogPath(summary.runDir), 'utf8');
  assert.match(log, /^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] run \S+: 4 trials/);
  assert.match(log, /t0000 started, pid \d+, log logs\/t0000\.log/);
  assert.match(log, /info: t0000: stopped on its own/);
  assert.match(log, /t0001 done +a=2 -> acc=2 \(\d+\.\d s, peak RSS /);
  assert.match(log, /run done: best t0002 acc=3\n$/);
  assert.ok(!log.includes('t0003 started'), 'the queued trial never started');

  // Nothing is left to resume: the stopped trials are final.
  const resumed = await resumeRun(dir, summary.runId, testOptions);
  const again = await resumed.done;
  assert.deepEqual(again.counts, { cancelled: 2, done: 2 });
  assert.equal(readRun(dir, summary.runId).trials.length, 4);
  assert.ok(readFileSync(join(summary.runDir, 'run.log'), 'utf8').includes('resumed (4 finished trials kept)'));
});
