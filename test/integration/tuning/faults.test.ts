import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readRun, SpecError, startRun, TuningError } from '../../../src/core/tuning';
import { isAlive } from '../../../src/core/tuning/processTree';
import { processesUnder, runToEnd, spec, testOptions, waitFor, workspace, zombieChildren } from './helpers';

const MiB = 1024 * 1024;

test('exit 1 and a segfault fail their trials with the reason; the others still run', async () => {
  const dir = workspace({
    'f.py': `import sys, json\nimport headroom_runtime as hr\nk = hr.params()['kind']\nif k == 'exit':\n    sys.stderr.write('ValueError: bad thing happened\\n')\n    sys.exit(1)\nif k == 'segv':\n    import ctypes\n    ctypes.string_at(0)\nprint(json.dumps({'acc': 1}))\n`,
  });
  const { summary } = await runToEnd(
    spec(dir, 'f.tune.yaml', 'script: f.py\nparams:\n  kind: [exit, segv, ok]\nmetric: acc\n'),
  );
  const by = new Map(readRun(dir, summary.runId).trials.map((t) => [t.params.kind, t]));
  assert.equal(by.get('exit')?.status, 'failed');
  assert.equal(by.get('exit')?.exitCode, 1);
  assert.equal(by.get('exit')?.error, 'exit code 1: ValueError: bad thing happened');
  assert.equal(by.get('segv')?.status, 'failed');
  assert.equal(by.get('segv')?.signal, 'SIGSEGV');
  assert.match(by.get('segv')?.error ?? '', /^killed by SIGSEGV \(segmentation fault\)/);
  assert.equal(by.get('ok')?.status, 'done');
  assert.equal(summary.status, 'done');
});

test('a trial hanging past its timeout is killed with its whole process tree', async () => {
  const dir = workspace({
    'hang.py': `import subprocess, time, os\np = subprocess.Popen(['sleep', '300'])\nopen('child-%s.pid' % os.getpid(), 'w').write(str(p.pid))\ntime.sleep(300)\n`,
  });
  const started = Date.now();
  const { summary } = await runToEnd(
    spec(dir, 'h.tune.yaml', 'script: hang.py\nparams:\n  a: [1]\nmetric: acc\nresources:\n  timeout: 1s\n'),
  );
  assert.ok(Date.now() - started < 10_000);
  const [t] = readRun(dir, summary.runId).trials;
  assert.equal(t.status, 'timeout');
  assert.match(t.error ?? '', /^timeout after 1 s/);
  const childPid = Number(
    readFileSync(
      join(
        dir,
        (await import('node:fs')).readdirSync(dir).find((f) => f.startsWith('child-'))!,
      ),
      'utf8',
    ),
  );
  assert.equal(isAlive(childPid), false, 'the sleep the trial started is gone too');
  assert.deepEqual(processesUnder(dir), []);
});

const HOG = `import time, json\nimport headroom_runtime as hr\ntime.sleep(0.6)\nblock = bytearray(hr.params()['mb'] * 1024 * 1024)\nfor i in range(0, len(block), 4096):\n    block[i] = 1\ntime.sleep(1.5)\nprint(json.dumps({'acc': hr.params()['mb']}))\n`;

test('trials outgrowing their share: the newest is killed, requeued, concurrency lowered, and the rerun counts', async () => {
  const dir = workspace({ 'hog.py': HOG });
  const file = spec(
    dir,
    'm.tune.yaml',
    'script: hog.py\nparams:\n  mb: [300, 301]\nmetric: acc\nresources:\n  workers: 2\n  memoryPerTrial: 20MB\n  memoryBudget: 450MB\n',
  );
  // Both trials must start together on the declared 20 MB for the guard to see them outgrow it; the
  // check before launch would run the first alone and learn its real peak.
  const { summary, events } = await runToEnd(file, { launchCheck: false });
  const trials = readRun(dir, summary.runId).trials;
  const killed = trials.filter((t) => t.status === 'killed');
  assert.equal(killed.length, 1, JSON.stringify(trials.map((t) => [t.trialId, t.status, t.error])));
  assert.match(killed[0].error ?? '', /^killed: memory pressure/);
  assert.equal(killed[0].final, false);
  const rerun = trials.find((t) => t.trialId === killed[0].trialId && t.attempt === 2);
  assert.equal(rerun?.status, 'done', 'the requeued trial ran again and finished');
  assert.equal(summary.counts.done, 2);
  assert.ok(events.some((e) => e.type === 'memoryGuard' && /concurrency lowered to 1/.test(e.action)));
  assert.ok(events.some((e) => e.type === 'concurrency' && e.decision.bound === 'guard'));
});

test('a trial that needs more than the whole budget alone is killed and not retried', async () => {
  const dir = workspace({ 'hog.py': HOG });
  const file = spec(
    dir,
    'm.tune.yaml',
    'script: hog.py\nparams:\n  mb: [400]\nmetric: acc\nresources:\n  memoryBudget: 200MB\n',
  );
  const { summary } = await runToEnd(file);
  const trials = readRun(dir, summary.runId).trials;
  assert.equal(trials.length, 1);
  assert.equal(trials[0].status, 'killed');
  assert.equal(trials[0].final, true);
  assert.match(trials[0].error ?? '', /needs more memory than the run's budget .* even running alone/);
  assert.equal(summary.status, 'failed');
});

test('1 GB on stdout: the log stays bounded, the engine does not grow, the result still counts', async () => {
  const dir = workspace({
    'loud.py': `import sys, json\nchunk = ('x' * 1023 + '\\n') * 1024\nfor _ in range(1024):\n    sys.stdout.write(chunk)\nsys.stdout.flush()\nprint(json.dumps({'acc': 0.5}))\n`,
  });
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const { summary } = await runToEnd(spec(dir, 'l.tune.yaml', 'script: loud.py\nparams:\n  a: [1]\nmetric: acc\n'), {
    logLimitBytes: MiB,
  });
  clearInterval(timer);
  const [t] = readRun(dir, summary.runId).trials;
  assert.equal(t.status, 'done', t.error ?? '');
  assert.equal(t.value, 0.5);
  const size = statSync(join(summary.runDir, t.logFile)).size;
  assert.ok(size <= MiB + 200, `log is ${size} bytes`);
  assert.ok(t.logDroppedBytes >= 1024 * MiB - MiB, `dropped ${t.logDroppedBytes}`);
  assert.ok(peak - before < 150 * MiB, `engine grew by ${((peak - before) / MiB).toFixed(0)} MiB`);
});

test('invalid UTF-8 on stdout and stderr is logged as bytes and does not break the result', async () => {
  const dir = workspace({
    'bytes.py': `import sys, json\nsys.stdout.buffer.write(b'\\xff\\xfe\\xc3\\x28 not utf-8\\n')\nsys.stderr.buffer.write(b'\\x80\\x81 err\\n')\nsys.stdout.flush()\nprint(json.dumps({'acc': 0.75}))\n`,
  });
  const { summary } = await runToEnd(spec(dir, 'b.tune.yaml', 'script: bytes.py\nparams:\n  a: [1]\nmetric: acc\n'));
  const [t] = readRun(dir, summary.runId).trials;
  assert.equal(t.status, 'done');
  assert.equal(t.value, 0.75);
  const log = readFileSync(join(summary.runDir, t.logFile));
  assert.ok(log.includes(Buffer.from([0xff, 0xfe, 0xc3, 0x28])));
});

test('a missing script, a missing interpreter and an invalid spec are refused before anything runs', async () => {
  const dir = workspace({ 'ok.py': 'print(1)\n' });
  await assert.rejects(
    startRun(spec(dir, 'a.tune.yaml', 'script: gone.py\nparams:\n  a: [1]\nmetric: m\n'), testOptions),
    (e: unknown) => {
      assert.ok(e instanceof SpecError);
      assert.match(e.message, /a\.tune\.yaml:1:9: script not found: .*gone\.py/);
      return true;
    },
  );
  await assert.rejects(
    startRun(
      spec(dir, 'b.tune.yaml', 'script: ok.py\npython: /nonexistent/bin/python\nparams:\n  a: [1]\nmetric: m\n'),
      testOptions,
    ),
    (e: unknown) => {
      assert.ok(e instanceof TuningError);
      assert.equal(e.message, 'Python interpreter not found: /nonexistent/bin/python (from the spec)');
      return true;
    },
  );
  await assert.rejects(
    startRun(spec(dir, 'c.tune.yaml', 'script: ok.py\nparams: {}\nmetric: m\n'), testOptions),
    /c\.tune\.yaml:2:9: 'params' must NOT have fewer than 1 properties/,
  );
});

for (const mode of ['script', 'objective'] as const) {
  test(`cancel in the middle of a ${mode} run leaves no process behind`, async () => {
    const dir = workspace({
      'slow.py': `import subprocess, time\ndef objective(p):\n    subprocess.Popen(['sleep', '120'])\n    time.sleep(120)\n    return 1\nif __name__ == '__main__':\n    objective(None)\n`,
    });
    const entry = mode === 'script' ? 'script: slow.py' : 'objective: slow:objective';
    const handle = await startRun(
      spec(
        dir,
        's.tune.yaml',
        `${entry}\nparams:\n  a: [1, 2, 3, 4]\nmetric: m\nresources:\n  workers: 2\n  memoryPerTrial: 10MB\n`,
      ),
      // Two trials must run at once: without the check before launch, which runs the first alone.
      { ...testOptions, launchCheck: false },
    );
    let started = 0;
    handle.onEvent((e) => (started += e.type === 'trialStarted' ? 1 : 0));
    await waitFor(
      () => started === 2 && processesUnder(dir).filter((p) => p.cmd.includes('sleep')).length === 2,
      15_000,
      'two trials with their children',
    );
    const summary = await handle.stop();
    assert.equal(summary.status, 'stopped');
    const trials = readRun(dir, summary.runId).trials;
    assert.equal(trials.length, 2);
    assert.ok(trials.every((t) => t.status === 'cancelled' && !t.final));
    await waitFor(() => processesUnder(dir).length === 0, 3000, 'no processes left').catch(() => undefined);
    assert.deepEqual(processesUnder(dir), []);
    assert.deepEqual(zombieChildren(), []);
  });
}

test('objective mode: a trial past its timeout takes its worker process; the next trial gets a fresh one', async () => {
  const dir = workspace({
    'slowobj.py': `import os, time\ndef objective(p):\n    if p['a'] == 1:\n        time.sleep(60)\n    return {'m': p['a'], 'pid': os.getpid()}\n`,
  });
  const file = spec(
    dir,
    'o.tune.yaml',
    'objective: slowobj:objective\nparams:\n  a: [0, 1, 2]\nmetric: m\nresources:\n  workers: 1\n  timeout: 1s\n',
  );
  const { summary } = await runToEnd(file);
  const by = new Map(readRun(dir, summary.runId).trials.map((t) => [t.params.a, t]));
  assert.equal(by.get(1)?.status, 'timeout');
  assert.equal(by.get(0)?.status, 'done');
  assert.equal(by.get(2)?.status, 'done');
  assert.notEqual(by.get(0)?.metrics.pid, by.get(2)?.metrics.pid, 'the killed worker was replaced');
  assert.deepEqual(processesUnder(dir), []);
});

test('a data file seeds the memory forecast before any trial ran (footprint of the CSV)', async () => {
  const rows = ['id,value,label', ...Array.from({ length: 2000 }, (_, i) => `${i},${i * 0.5},${i % 2 ? 'yes' : 'no'}`)];
  const dir = workspace({ 'd.py': `import json\nprint(json.dumps({'m': 1}))\n`, 'data.csv': rows.join('\n') + '\n' });
  const file = spec(dir, 'd.tune.yaml', 'script: d.py\ndata: data.csv\nparams:\n  a: [1, 2]\nmetric: m\n');
  const { events } = await runToEnd(file);
  const first = events.find((e) => e.type === 'concurrency');
  assert.ok(first && first.type === 'concurrency');
  assert.notEqual(first.decision.bound, 'probe', 'no need to probe: the data footprint gives a forecast');
  // 2,000 rows of int64 + float64 + strings, and the float64 copy scikit-learn makes: tens of kB, not zero
  assert.ok(
    first.decision.perTrialBytes > 32_000 && first.decision.perTrialBytes < 2_000_000,
    String(first.decision.perTrialBytes),
  );
});
