import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRun } from '../../../src/core/tuning';
import { repoRoot } from '../../support/python';
import { processesUnder, python, runToEnd, spec, workspace } from './helpers';

// A script that works but never reports the metric: every trial would fail the same way.
const SILENT = `import time\nimport headroom_runtime as hr\np = hr.params()\ntime.sleep(0.8)\nprint('trained', p['a'], p['b'])\n`;
const GOOD = `import json, time\nimport headroom_runtime as hr\np = hr.params()\ntime.sleep(0.3)\nprint(json.dumps({'acc': p['a'] * 10 + len(p['b'])}))\n`;
const NINE = 'params:\n  a: [1, 2, 3]\n  b: [x, yy, zzz]\nmetric: acc\nresources:\n  workers: 3\n';

test('launch check: a script that never reports the metric stops the run after its first two trials', async () => {
  const dir = workspace({ 'silent.py': SILENT });
  const started = Date.now();
  const { summary, events } = await runToEnd(spec(dir, 's.tune.yaml', `script: silent.py\n${NINE}`));
  const seconds = (Date.now() - started) / 1000;
  const { trials } = readRun(dir, summary.runId);
  assert.equal(summary.status, 'failed');
  assert.equal(trials.length, 2, `only the first two trials ran: ${JSON.stringify(trials.map((t) => t.trialId))}`);
  assert.ok(
    trials.every((t) => t.status === 'failed'),
    JSON.stringify(trials),
  );
  // They ran one after the other, never alongside each other.
  assert.ok(trials[1].startedAt >= trials[0].endedAt, 'the second trial started after the first ended');
  assert.match(
    summary.error ?? '',
    /^stopped after the first 2 trials all failed the same way \(see logs\/t0001\.log\): finished without reporting 'acc'/,
  );
  assert.ok(seconds < 15, `stopped within seconds (${seconds.toFixed(1)} s), not after 9 trials`);
  const decisions = events.flatMap((e) => (e.type === 'concurrency' ? [e.decision] : []));
  assert.ok(
    decisions.some((d) => d.allowed === 1 && /checking that the first trial works/.test(d.reason)),
    JSON.stringify(decisions.map((d) => d.reason)),
  );
  assert.ok(events.some((e) => e.type === 'log' && e.level === 'error' && e.message === summary.error));
  assert.deepEqual(processesUnder(dir), []);
});

test('launch check: a good spec runs every trial, at full concurrency after the first, with the same results', async () => {
  const dir = workspace({ 'good.py': GOOD });
  const file = spec(dir, 'g.tune.yaml', `script: good.py\n${NINE}`);
  const checked = await runToEnd(file, { cache: false });
  const unchecked = await runToEnd(file, { cache: false, launchCheck: false });
  assert.equal(checked.summary.status, 'done');
  assert.equal(checked.summary.counts.done, 9);
  assert.equal(checked.summary.error, undefined);
  assert.deepEqual(checked.summary.best, unchecked.summary.best);
  const values = (runId: string) =>
    Object.fromEntries(readRun(dir, runId).trials.map((t) => [t.trialId, [t.status, t.value]]));
  assert.deepEqual(values(checked.summary.runId), values(unchecked.summary.runId));
  // After the first trial succeeded, the others ran side by side (3 workers).
  const trials = readRun(dir, checked.summary.runId).trials.sort((a, b) => a.startedAt - b.startedAt);
  const first = trials[0];
  assert.ok(
    trials.slice(1).every((t) => t.startedAt >= first.endedAt),
    'the first trial ran alone',
  );
  const overlapping = trials
    .slice(1)
    .some((t, i, rest) => rest.some((u, j) => j !== i && u.startedAt < t.endedAt && t.startedAt < u.endedAt));
  assert.ok(overlapping, 'later trials ran concurrently');
});

test('launch check: failures that differ (they depend on params) do not stop the run', async () => {
  const dir = workspace({
    'f.py': `import json, sys\nimport headroom_runtime as hr\na = hr.params()['a']\nif a < 3:\n    sys.exit('bad a=%d' % a)\nprint(json.dumps({'acc': a}))\n`,
  });
  const { summary } = await runToEnd(
    spec(dir, 'f.tune.yaml', 'script: f.py\nparams:\n  a: [1, 2, 3, 4]\nmetric: acc\n'),
  );
  assert.equal(summary.status, 'done');
  assert.equal(summary.counts.failed, 2);
  assert.equal(summary.counts.done, 2);
});

test('launch check in the CLI: the one error is printed with the summary, exit status 1', () => {
  const dir = workspace({ 'silent.py': SILENT });
  const file = spec(dir, 's.tune.yaml', `script: silent.py\n${NINE}`);
  const out = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'tune', file, '--python', python], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(out.status, 1, out.stderr);
  assert.match(
    out.stdout,
    /run \S+ failed: 2 failed\n {2}error: stopped after the first 2 trials all failed the same way/,
  );
  assert.match(out.stdout, /finished without reporting 'acc'/);
});
