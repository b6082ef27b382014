import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunEvent } from '../../../src/core/tuning/events';
import { readRun } from '../../../src/core/tuning';
import { isAlive } from '../../../src/core/tuning/processTree';
import { TreeSampler } from '../../../src/core/tuning/treeSampler';
import { repoRoot } from '../../support/python';
import { processesUnder, python, runToEnd, spec, waitFor, workspace } from './helpers';

const cli = join(repoRoot, 'dist', 'cli.js');

/** Starts `headroom tune --json` and collects its events. */
function startCli(file: string, dir: string) {
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
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, events, exited };
}

const pidsIn = (dir: string, prefix: string): number[] =>
  readdirSync(dir)
    .filter((f) => f.startsWith(prefix))
    .map((f) => Number(readFileSync(join(dir, f), 'utf8')));

test('kill -9 of the CLI: a trial holding the GIL (catastrophic regex) and its new-session grandchild die within 2 s', async () => {
  const dir = workspace({
    // The regex runs in C for minutes without releasing the GIL: the trial's own pipe reader cannot run.
    // a=0 ends at once: it passes the check before launch, so trials a=1 and a=2 then run together.
    'gil.py': `import os, re, subprocess, json, sys\nif sys.argv[-1] == '0':\n    print(json.dumps({'acc': 0}))\n    sys.exit(0)\np = subprocess.Popen(['sleep', '300'], start_new_session=True)\nopen('grandchild-%d.pid' % os.getpid(), 'w').write(str(p.pid))\nopen('trial-%d.pid' % os.getpid(), 'w').write(str(os.getpid()))\nre.match(r'(a+)+$', 'a' * 60 + 'b')\nprint(json.dumps({'acc': 1}))\n`,
  });
  const file = spec(
    dir,
    'g.tune.yaml',
    'script: gil.py\nparams:\n  a: [0, 1, 2]\nmetric: acc\nresources:\n  workers: 2\n',
  );
  const { child, events, exited } = startCli(file, dir);
  await waitFor(
    () => events.filter((e) => e.type === 'trialStarted').length >= 3 && pidsIn(dir, 'grandchild-').length >= 2,
    20_000,
    'two trials in their regex',
  );
  await new Promise((r) => setTimeout(r, 300));
  const trials = pidsIn(dir, 'trial-');
  const grandchildren = pidsIn(dir, 'grandchild-');
  assert.ok(trials.every(isAlive) && grandchildren.every(isAlive), 'the trials are running when the CLI dies');
  child.kill('SIGKILL');
  await exited;
  const killedAt = Date.now();
  await waitFor(() => processesUnder(dir).length === 0, 2000, 'every process of the run to die').catch(() => undefined);
  assert.deepEqual(processesUnder(dir), [], `still alive ${Date.now() - killedAt} ms after kill -9`);
  for (const pid of [...trials, ...grandchildren]) assert.equal(isAlive(pid), false, `pid ${pid} outlived the CLI`);
});

test('processes a trial started in new sessions (even orphaned ones) do not outlive a finished trial', async () => {
  const dir = workspace({
    // One grandchild in its own session; one daemonised by a parent that exits at once (double fork).
    's.py': `import os, subprocess, sys, json\np = subprocess.Popen(['sleep', '300'], start_new_session=True)\nopen('session-%d.pid' % os.getpid(), 'w').write(str(p.pid))\nout = subprocess.check_output([sys.executable, '-c', "import subprocess; print(subprocess.Popen(['sleep', '301'], start_new_session=True, stdout=subprocess.DEVNULL).pid)"])\nopen('orphan-%d.pid' % os.getpid(), 'w').write(out.decode().strip())\nprint(json.dumps({'acc': 1}))\n`,
  });
  const { summary } = await runToEnd(spec(dir, 's.tune.yaml', 'script: s.py\nparams:\n  a: [1]\nmetric: acc\n'));
  assert.equal(summary.counts.done, 1);
  const pids = [...pidsIn(dir, 'session-'), ...pidsIn(dir, 'orphan-')];
  assert.equal(pids.length, 2);
  for (const pid of pids) assert.equal(isAlive(pid), false, `pid ${pid} outlived its trial`);
  assert.deepEqual(processesUnder(dir), []);
});

test('SIGHUP (terminal closed) stops the run like SIGINT: run.json is not left "running", no trial survives', async () => {
  const dir = workspace({
    // a=0 ends at once (the check before launch), then a=1 and a=2 run together.
    'w.py': `import json, sys, time\nif sys.argv[-1] != '0':\n    time.sleep(30)\nprint(json.dumps({'acc': 1}))\n`,
  });
  const file = spec(
    dir,
    'w.tune.yaml',
    'script: w.py\nparams:\n  a: [0, 1, 2]\nmetric: acc\nresources:\n  workers: 2\n',
  );
  const { child, events, exited } = startCli(file, dir);
  await waitFor(
    () => events.filter((e) => e.type === 'trialStarted').length >= 3 && events.some((e) => e.type === 'trialFinished'),
    20_000,
    'two running trials after the first',
  );
  child.kill('SIGHUP');
  const { code } = await exited;
  assert.equal(code, 130);
  const runId = (events[0] as Extract<RunEvent, { type: 'runStarted' }>).runId;
  const run = readRun(dir, runId);
  assert.equal(run.summary.status, 'stopped');
  await waitFor(() => processesUnder(dir).length === 0, 2000, 'trials to exit').catch(() => undefined);
  assert.deepEqual(processesUnder(dir), []);
});

test('a trial shorter than the first sample reports no made-up peak: PSS unmeasured (null), RSS from the trial itself', async () => {
  const dir = workspace({
    'q.py': `import json\nblock = bytearray(40 * 1024 * 1024)\nprint(json.dumps({'acc': 1}))\n`,
  });
  const { summary } = await runToEnd(
    spec(dir, 'q.tune.yaml', 'script: q.py\nparams:\n  a: [1, 2, 3, 4]\nmetric: acc\n'),
    {
      sampleIntervalMs: 1000,
    },
  );
  assert.equal(summary.counts.done, 4);
  for (const t of readRun(dir, summary.runId).trials) {
    // A Python interpreter alone holds several MiB; 40 MiB were touched (bytearray zero-fills).
    assert.ok((t.peakRssBytes ?? NaN) >= 40 * 1024 * 1024, `${t.trialId} peak RSS ${t.peakRssBytes}`);
    // The 40 MiB are private to the trial: a PSS that saw the peak holds them all.
    assert.ok(t.peakPssBytes === null || t.peakPssBytes >= 40 * 1024 * 1024, `${t.trialId} peak PSS ${t.peakPssBytes}`);
  }
});

test('the sample taken at spawn is no peak: a trial gone before the first periodic sample has PSS unmeasured', async () => {
  const child = spawn(python, ['-c', 'import time; time.sleep(0.15)'], { stdio: 'ignore' });
  await new Promise((r) => child.once('spawn', r));
  const sampler = new TreeSampler('t', child.pid!, 10_000, () => undefined);
  // What the script runner does right after spawn: counts CPU from here, but the process is not its size yet.
  assert.ok(sampler.sample(true, false, false));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  sampler.stop();
  assert.equal(sampler.peakPssBytes, null);
  assert.equal(sampler.peakRssBytes, 0);
});
