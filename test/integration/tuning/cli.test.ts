import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../../src/core/tuning/events';
import { readRun } from '../../../src/core/tuning';
import { repoRoot } from '../../support/python';
import { processesUnder, python, spec, waitFor, workspace } from './helpers';

const cli = join(repoRoot, 'dist', 'cli.js');

function tune(args: string[], cwd: string) {
  return spawnSync(process.execPath, [cli, 'tune', ...args, '--python', python], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

test('--json: one event per line and a final summary with best.params and best.metrics', () => {
  const dir = workspace({
    't.py': `import json\nimport headroom_runtime as hr\nprint(json.dumps({'acc': hr.params()['a'] / 10}))\n`,
  });
  const file = spec(dir, 't.tune.yaml', 'script: t.py\nparams:\n  a: [1, 5, 3]\nmetric: acc\n');
  const out = tune([file, '--json', '--workers', '1'], dir);
  assert.equal(out.status, 0, out.stderr);
  const lines = out.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent | { type: 'summary'; best: { params: unknown; metrics: unknown } });
  assert.equal(lines[0].type, 'runStarted');
  const summary = lines.at(-1)!;
  assert.equal(summary.type, 'summary');
  assert.deepEqual((summary as { best: unknown }).best, {
    trialId: 't0001',
    params: { a: 5 },
    metrics: { acc: 0.5 },
    value: 0.5,
  });
  assert.equal(lines.filter((l) => l.type === 'trialFinished').length, 3);
  const decision = lines.find((l) => l.type === 'concurrency') as Extract<RunEvent, { type: 'concurrency' }>;
  assert.match(decision.decision.reason, /^1 of 1 slot: /);
  const budgeted = tune([file, '--json', '--memory-budget', '1GB', '--no-cache'], dir);
  assert.equal(budgeted.status, 0, budgeted.stderr);
  const budgetDecision = budgeted.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent)
    .find((l) => l.type === 'concurrency') as Extract<RunEvent, { type: 'concurrency' }>;
  assert.equal(budgetDecision.decision.budgetBytes, 1024 ** 3);
  const badBudget = tune([file, '--memory-budget', 'lots'], dir);
  assert.equal(badBudget.status, 2);
  assert.match(badBudget.stderr, /--memory-budget is not a size: lots/);
});

test('the human output shows progress, the reason for the concurrency, and the best trial', () => {
  const dir = workspace({
    't.py': `import json\nimport headroom_runtime as hr\nprint(json.dumps({'acc': hr.params()['a']}))\n`,
  });
  const out = tune([spec(dir, 't.tune.yaml', 'script: t.py\nparams:\n  a: [1, 2]\nmetric: acc\n')], dir);
  assert.equal(out.status, 0, out.stderr);
  assert.match(out.stdout, /concurrency: \d of \d slots?: /);
  assert.match(out.stdout, /best t0001: acc=2/);
  assert.match(out.stdout, /params {2}\{"a":2\}/);
});

test('exit 1 when no trial succeeded; exit 2 with file:line:col for an invalid spec', () => {
  const dir = workspace({ 'bad.py': 'raise SystemExit(3)\n' });
  const failed = tune([spec(dir, 'f.tune.yaml', 'script: bad.py\nparams:\n  a: [1]\nmetric: acc\n')], dir);
  assert.equal(failed.status, 1);
  assert.match(failed.stdout, /no trial succeeded/);
  const invalid = tune(
    [spec(dir, 'i.tune.yaml', 'script: bad.py\nparams:\n  a: [1]\nmetric: acc\nresources:\n  workers: 0\n')],
    dir,
  );
  assert.equal(invalid.status, 2);
  assert.match(invalid.stderr, /i\.tune\.yaml:6:12: 'resources\.workers' must be "auto" or a whole number/);
  const missingPython = spawnSync(
    process.execPath,
    [cli, 'tune', join(dir, 'f.tune.yaml'), '--python', '/no/such/python'],
    { encoding: 'utf8' },
  );
  assert.equal(missingPython.status, 1);
  assert.match(missingPython.stderr, /Python interpreter not found: \/no\/such\/python \(from --python\)/);
});

test('the engine killed mid-run leaves an interrupted run; --resume finishes it and loses nothing', async () => {
  const dir = workspace({
    'w.py': `import json, time\nimport headroom_runtime as hr\na = hr.params()['a']\ntime.sleep(0.3 if a < 2 else 2.0)\nprint(json.dumps({'acc': a}))\n`,
  });
  const file = spec(
    dir,
    'w.tune.yaml',
    'script: w.py\nparams:\n  a: [0, 1, 2, 3, 4, 5]\nmetric: acc\nresources:\n  workers: 2\n',
  );
  const child = spawn(process.execPath, [cli, 'tune', file, '--json', '--python', python], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: RunEvent[] = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const l of lines) events.push(JSON.parse(l) as RunEvent);
  });
  await waitFor(
    () =>
      events.filter((e) => e.type === 'trialFinished').length >= 2 &&
      events.filter((e) => e.type === 'trialStarted').length >= 4,
    20_000,
    'two finished trials and two running',
  );
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  const runId = (events[0] as Extract<RunEvent, { type: 'runStarted' }>).runId;
  const before = readRun(dir, runId);
  assert.equal(before.summary.status, 'interrupted');
  const finishedBefore = before.trials.filter((t) => t.final);
  assert.ok(finishedBefore.length >= 2);
  // The trials' pipe to the dead engine closed: they kill themselves instead of running on as orphans.
  await waitFor(() => processesUnder(dir).length === 0, 5000, 'orphaned trials to exit').catch(() => undefined);
  assert.deepEqual(processesUnder(dir), []);

  const resumed = tune([file, '--resume', runId, '--json'], dir);
  assert.equal(resumed.status, 0, resumed.stderr);
  const started = resumed.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as RunEvent)[0] as Extract<RunEvent, { type: 'runStarted' }>;
  assert.equal(started.resumed, true);
  assert.equal(started.skipped, finishedBefore.length);
  const after = readRun(dir, runId);
  assert.equal(after.summary.status, 'done');
  assert.equal(after.summary.counts.done, 6);
  for (const t of finishedBefore) {
    const records = after.trials.filter((r) => r.trialId === t.trialId);
    assert.equal(records.length, 1, `${t.trialId} was not run again`);
    assert.deepEqual(records[0], t);
  }
  assert.deepEqual(after.summary.best?.params, { a: 5 });
});
