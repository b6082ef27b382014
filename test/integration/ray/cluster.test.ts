/**
 * Headroom on a real two-node Ray cluster (cluster.ts: loopback-only network namespace, head with
 * 512 MiB and worker with 1 GiB of Ray `memory`, one CPU each), driven through the CLI inside the
 * namespace. One cluster for the whole file (it takes a while to start on two cores); the fault
 * test that kills the worker node runs last.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { readRun } from '../../../src/core/tuning';
import { loadSpec } from '../../../src/core/tuning/spec';
import { trialPayload, type RayQueued, type RaySchedulerConfig } from '../../../src/core/tuning/rayTrial';
import { spec, waitFor, workspace } from '../tuning/helpers';
import { killTree } from '../../../src/core/tuning/processTree';
import { driverLaunch } from '../../../src/core/tuning/rayDriver';
import {
  cli,
  clusterState,
  MiB,
  mountOnNodes,
  namespaceUnavailable,
  processesOfRun,
  python,
  setClusterRayVersion,
  startCluster,
  type Cluster,
} from './cluster';
import { assertSameAsLocal, cmdOf, gridSpecOn, lines, runOf, tuneIn, tuneInBackground } from './runs';

const unavailable = namespaceUnavailable();
if (unavailable)
  console.error(`\n!!! SKIPPING the Ray cluster tests: ${unavailable}. They need root and network namespaces. !!!\n`);
const suite = { skip: unavailable ? `Ray cluster tests skipped: ${unavailable}` : false, timeout: 180_000 };

let cluster: Cluster;
before(() => {
  if (!unavailable) cluster = startCluster();
});
after(() => cluster?.teardown());

const tuneInCluster = (args: string[], cwd: string, timeout?: number) => tuneIn(cluster, args, cwd, timeout);

const GRID = `import time, json\nimport headroom_runtime as hr\np = hr.params()\ntime.sleep(1)\nhr.report(acc=round(((p['a'] * 7 + p['b'] * 3) % 11) / 10, 4))\n`;

test('a grid runs on both nodes and gives what the local pool gives, each result recorded with its node', suite, () => {
  const dir = workspace({ 'g.py': GRID });
  const file = spec(dir, 'g.tune.yaml', `script: g.py\nparams:\n  a: [1, 2]\n  b: [1, 2, 3]\nmetric: acc\n`);
  const started = Date.now();
  const out = tuneInCluster([file, '--ray', cluster.address], dir);
  assert.equal(out.status, 0, out.stderr + out.stdout);
  console.log(`grid of 6 on the 2-node cluster: ${Date.now() - started} ms`);
  const events = lines(out.stdout);
  const summary = events.at(-1) as { type: string; runId: string; status: string };
  assert.equal(summary.status, 'done');
  const run = readRun(dir, summary.runId);
  assert.equal(run.trials.length, 6);
  const nodes = new Set(run.trials.map((t) => t.node));
  assert.equal(nodes.size, 2, `trials ran on ${[...nodes].join(', ')}`);
  for (const t of run.trials) {
    assert.match(t.node ?? '', /^127\.0\.0\.1\/[0-9a-f]{6}$/);
    assert.ok(t.wallMs >= 1000 && (t.peakRssBytes ?? NaN) > 1024 * 1024 && (t.cpuMs ?? NaN) > 0, JSON.stringify(t));
  }
  assert.ok(events.some((e) => e.type === 'cluster' && e.nodes.length === 2 && e.nodes.every((n) => n.alive)));
  // Peak RSS is the trial's tree on its node, as the live usage reads it (a small script: ~14 MiB), not
  // the Ray worker that spawned it (~120 MiB, which the supervisor's wait4 maxrss starts from).
  const usage = new Map<string, number>();
  for (const e of events)
    if (e.type === 'trialUsage')
      for (const u of e.usage) usage.set(u.trialId, Math.max(usage.get(u.trialId) ?? 0, u.rssBytes));
  assert.ok(usage.size > 0, 'live usage readings');
  for (const t of run.trials) {
    assert.ok((t.peakRssBytes ?? NaN) < 64 * MiB, `${t.trialId}: peak RSS ${t.peakRssBytes} B`);
    assert.ok((t.peakRssBytes ?? NaN) >= (usage.get(t.trialId) ?? 0), `${t.trialId}: peak below a live reading`);
  }
  // No forecast (no data, no declared size) before the first peaks: a trial asks Ray for no memory, not 1 B.
  const first = events.find((e) => e.type === 'trialStarted');
  assert.equal(first?.type === 'trialStarted' && first.forecastBytes, 0);
  for (const e of events)
    if (e.type === 'cluster')
      for (const n of e.nodes) {
        const reserved = n.memoryTotal - n.memoryFree;
        assert.ok(!n.alive || reserved === 0 || reserved >= MiB, `${n.name}: ${reserved} B reserved`);
      }
  const reason = events.find(
    (e) => e.type === 'concurrency' && /^cluster: 2 of 2 CPU slots busy/.test(e.decision.reason),
  );
  assert.ok(reason, 'the concurrency reason speaks of the cluster');
  assertSameAsLocal(dir, file, run);
});

test(
  'objective mode: actors per slot import the module (not each trial) and run every trial, results as locally',
  suite,
  () => {
    const dir = workspace({});
    const imports = join(dir, 'imports.txt');
    writeFileSync(
      join(dir, 'obj.py'),
      `import os, time\nopen(${JSON.stringify(imports)}, 'a').write('%d\\n' % os.getpid())\n\ndef objective(p):\n    time.sleep(0.5)\n    return ((p['a'] * 7 + p['b'] * 3) % 11) / 10\n`,
    );
    const file = spec(
      dir,
      'o.tune.yaml',
      `objective: obj:objective\nparams:\n  a: [1, 2, 3]\n  b: [1, 2, 3]\nmetric: acc\n`,
    );
    const out = tuneInCluster([file, '--ray', cluster.address], dir);
    assert.equal(out.status, 0, out.stderr + out.stdout);
    const run = runOf(dir, out.stdout);
    assert.equal(run.trials.filter((t) => t.status === 'done').length, 9);
    const pids = new Set(readFileSync(imports, 'utf8').trim().split('\n'));
    console.log(`objective mode on the cluster: the module was imported ${pids.size} times for 9 trials`);
    // Once per slot, and once more per slot when the first measured peaks replace the unknown forecast.
    assert.ok(pids.size <= 4, `the module was imported ${pids.size} times for 9 trials on 2 slots`);
    assert.equal(new Set(run.trials.map((t) => t.node)).size, 2);
    for (const t of run.trials) assert.ok(t.wallMs >= 500 && (t.peakRssBytes ?? NaN) > 0, JSON.stringify(t));
    assertSameAsLocal(dir, file, run);
  },
);

test('a head that cannot be reached fails within 10 s, naming the address', suite, () => {
  const dir = workspace({ 'g.py': GRID });
  const file = spec(dir, 'g.tune.yaml', `script: g.py\nparams:\n  a: [1]\n  b: [1]\nmetric: acc\n`);
  for (const address of ['127.0.0.1:1', '10.255.255.1:6379']) {
    const started = Date.now();
    const out = tuneInCluster([file, '--ray', address], dir, 30_000);
    const took = Date.now() - started;
    assert.equal(out.status, 1, out.stderr);
    assert.ok(took < 10_000, `took ${took} ms`);
    assert.match(out.stderr, new RegExp(`cannot reach the Ray head at ${address.replace(/\./g, '\\.')}`));
  }
  // `auto` is RAY_ADDRESS; without it the run says what to set.
  const auto = spawnSync(process.execPath, [cli, 'tune', file, '--ray', 'auto', '--python', python], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, RAY_ADDRESS: '127.0.0.1:1' },
  });
  assert.equal(auto.status, 1);
  assert.match(auto.stderr, /cannot reach the Ray head at 127\.0\.0\.1:1/);
  const unset = spawnSync(process.execPath, [cli, 'tune', file, '--ray', 'auto', '--python', python], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, RAY_ADDRESS: '' },
  });
  assert.match(unset.stderr, /RAY_ADDRESS is not set/);
  // An interpreter without ray: said, with what to install.
  const noRay = spawnSync(
    process.execPath,
    [cli, 'tune', file, '--ray', cluster.address, '--python', '/usr/bin/python3'],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  assert.equal(noRay.status, 1);
  assert.match(
    noRay.stderr,
    /the run's Python \(\/usr\/bin\/python3\) has no 'ray' package: install the Ray version the cluster runs/,
  );
  const bad = spawnSync(process.execPath, [cli, 'tune', file, '--ray', 'nowhere'], { cwd: dir, encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--ray must be the head's HOST:PORT or auto: nowhere/);
});

test("a driver whose Ray differs from the cluster's: both versions named, nothing started", suite, () => {
  const installed = setClusterRayVersion(cluster, '2.57.0');
  try {
    const dir = workspace({ 'g.py': GRID });
    const file = spec(dir, 'g.tune.yaml', `script: g.py\nparams:\n  a: [1]\n  b: [1]\nmetric: acc\n`);
    const t0 = Date.now();
    const out = tuneInCluster([file, '--ray', cluster.address], dir, 60_000);
    console.log(`mismatch said in ${Date.now() - t0} ms: ${out.stderr.trim()}`);
    assert.equal(out.status, 1, out.stderr);
    const said = out.stderr.match(
      /Ray version mismatch with the cluster at 127\.0\.0\.1:\d+: the run's Python \((\S+)\) has Ray (\S+), the cluster's is Ray 2\.57\.0: install the cluster's Ray into it \(\S+ -m pip install 'ray==2\.57\.0'\)/,
    );
    assert.ok(said, out.stderr);
    assert.equal(said[1], python);
    assert.equal(said[2], installed);
    assert.doesNotMatch(out.stderr, /Traceback/);
    assert.equal(readRun(dir, readdirSync(join(dir, '.headroom', 'runs'))[0]).summary.status, 'failed');
  } finally {
    setClusterRayVersion(cluster, installed);
  }
});

test(
  'a data file over 32 MiB that no node has ships once to each node; a run it can reach on no node stops before launch',
  suite,
  () => {
    const big = randomBytes(33 * MiB + 123);
    const digest = parseInt(createHash('sha1').update(big).digest('hex').slice(0, 8), 16);
    const dir = workspace({
      'd.py': `import hashlib, os, time\nimport headroom_runtime as hr\ntime.sleep(1)\nh = hashlib.sha1(open('data/big.bin', 'rb').read()).hexdigest()\nassert os.path.getsize(os.environ['HEADROOM_DATA']) == os.path.getsize('data/big.bin')\nhr.report(acc=int(h[:8], 16))\n`,
    });
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'big.bin'), big);
    // The nodes see an empty folder where the driver sees the workspace: no node has the file.
    mountOnNodes(cluster, ['-t', 'tmpfs', '-o', 'size=1m', 'none', dir]);
    const file = spec(dir, 'd.tune.yaml', `script: d.py\ndata: data/big.bin\nparams:\n  a: [1, 2]\nmetric: acc\n`);
    const cached = () =>
      readdirSync(cluster.tempDir)
        .filter((s) => s.startsWith('session_2'))
        .flatMap((s) => {
          const root = join(cluster.tempDir, s, 'headroom-data');
          return existsSync(root)
            ? readdirSync(root, { recursive: true, encoding: 'utf8' }).map((f) => join(root, f))
            : [];
        })
        .filter((f) => f.endsWith('big.bin'))
        .map((f) => ({ f, size: statSync(f).size, mtimeMs: statSync(f).mtimeMs }));
    const shippedLog = (stdout: string) =>
      lines(stdout).flatMap((e) =>
        e.type === 'log' && /^ray: the data file .* was shipped to/.test(e.message) ? [e.message] : [],
      );
    const first = tuneInCluster([file, '--ray', cluster.address, '--no-cache'], dir);
    assert.equal(first.status, 0, first.stderr + first.stdout);
    const run = runOf(dir, first.stdout);
    assert.deepEqual(
      run.trials.map((t) => [t.status, t.value]),
      [
        ['done', digest],
        ['done', digest],
      ],
      JSON.stringify(run.trials.map((t) => [t.node, t.error])),
    );
    assert.equal(new Set(run.trials.map((t) => t.node)).size, 2, 'both nodes read it');
    const shipped = shippedLog(first.stdout);
    assert.equal(shipped.length, 1, first.stdout);
    assert.match(shipped[0], /shipped to 2 nodes in [\d.]+ s; 0 had it already$/);
    const copies = cached();
    assert.deepEqual(
      copies.map((c) => c.size),
      [big.length, big.length],
      'one copy per node',
    );
    // Once per node: a second run (objective mode: one actor per node) finds the copies.
    writeFileSync(
      join(dir, 'dobj.py'),
      `import hashlib, os, time\n\ndef objective(p):\n    time.sleep(1)\n    assert os.path.getsize(os.environ['HEADROOM_DATA']) == os.path.getsize('data/big.bin')\n    return int(hashlib.sha1(open('data/big.bin', 'rb').read()).hexdigest()[:8], 16)\n`,
    );
    const objective = spec(
      dir,
      'o.tune.yaml',
      `objective: dobj:objective\ndata: data/big.bin\nparams:\n  a: [1, 2]\nmetric: acc\n`,
    );
    const second = tuneInCluster([objective, '--ray', cluster.address, '--no-cache'], dir);
    assert.equal(second.status, 0, second.stderr);
    const secondRun = runOf(dir, second.stdout);
    assert.deepEqual(
      secondRun.trials.map((t) => [t.status, t.value]),
      [
        ['done', digest],
        ['done', digest],
      ],
      JSON.stringify(secondRun.trials.map((t) => [t.node, t.error])),
    );
    assert.equal(new Set(secondRun.trials.map((t) => t.node)).size, 2);
    assert.deepEqual(shippedLog(second.stdout), []);
    assert.deepEqual(cached(), copies);
    // No room for it on any node: the run stops before launch, naming the file and why, node by node.
    for (const c of copies) mountOnNodes(cluster, ['-t', 'tmpfs', '-o', 'size=1m', 'none', dirname(dirname(c.f))]);
    const third = tuneInCluster([file, '--ray', cluster.address, '--no-cache'], dir);
    assert.equal(third.status, 1, third.stdout);
    assert.match(
      third.stderr,
      /the data file \S+big\.bin \(33\.0 MiB\) reached none of the cluster's 2 nodes: 127\.0\.0\.1\/\w+: .*No space left on device.*; 127\.0\.0\.1\/\w+: .*No space left on device/,
    );
    assert.doesNotMatch(third.stdout, /trialStarted/);
  },
);

test('stop (SIGINT) cancels every running trial: nothing of the run stays on the cluster', suite, async () => {
  const dir = workspace({ 'slow.py': 'import time\ntime.sleep(120)\n' });
  const file = spec(
    dir,
    's.tune.yaml',
    `script: slow.py\nparams:\n  a: [1, 2, 3]\nmetric: acc\ncluster:\n  ray: "${cluster.address}"\n`,
  );
  const tune = tuneInBackground(cluster, file, dir);
  await waitFor(() => tune.count('trialStarted') >= 2, 60_000, 'two trials running on the cluster');
  const runId = tune.runId();
  await waitFor(() => processesOfRun(runId).length >= 2, 10_000, 'the trials processes');
  const stopAt = Date.now();
  tune.child.kill('SIGINT');
  assert.equal(await tune.exited, 130);
  console.log(`stop with 2 trials running on the cluster: ${Date.now() - stopAt} ms`);
  // The trials' supervisors see their Ray worker die and kill their trees within a poll (0.2 s).
  await waitFor(() => processesOfRun(runId).length === 0, 3000, 'no trial process left on any node').catch(() =>
    assert.deepEqual(
      processesOfRun(runId).map((pid) => cmdOf(pid)),
      [],
      'no trial process is left on any node',
    ),
  );
  const state = clusterState(cluster);
  assert.equal(state.cpuFree, state.cpuTotal, 'no task of the run holds a CPU');
  assert.equal(state.aliveActors, 0);
  const run = readRun(dir, runId);
  assert.equal(run.summary.status, 'stopped');
  assert.equal(run.trials.filter((t) => t.status === 'cancelled').length, 2);
});

const HOG = `import time, json\nimport headroom_runtime as hr\nblock = bytearray(hr.params()['mb'] * 1024 * 1024)\nfor i in range(0, len(block), 4096):\n    block[i] = 1\ntime.sleep(2)\nhr.report(acc=hr.params()['mb'])\n`;

test(
  'a trial outgrowing its node is killed, requeued once with 1.5 x its peak, and finishes on the node that fits it',
  suite,
  () => {
    const dir = workspace({ 'hog.py': HOG });
    // 700 MB: over the head's 512 MiB, within the worker's 1 GiB. Both start at once, one on each node.
    const file = spec(
      dir,
      'h.tune.yaml',
      `script: hog.py\nparams:\n  mb: [700, 701]\nmetric: acc\nresources:\n  memoryPerTrial: 50MB\n`,
    );
    const out = tuneInCluster([file, '--ray', cluster.address], dir);
    assert.equal(out.status, 0, out.stderr + out.stdout);
    const run = runOf(dir, out.stdout);
    const killed = run.trials.filter((t) => t.status === 'killed');
    assert.equal(
      killed.length,
      1,
      JSON.stringify(run.trials.map((t) => [t.trialId, t.attempt, t.status, t.node, t.error])),
    );
    assert.equal(killed[0].final, false);
    assert.match(
      killed[0].error ?? '',
      /more than the 0\.50 GiB node 127\.0\.0\.1\/\w+ offers Ray; requeued once with 1\.5 x its measured peak/,
    );
    const rerun = run.trials.find((t) => t.trialId === killed[0].trialId && t.attempt === 2);
    assert.equal(rerun?.status, 'done');
    assert.notEqual(rerun?.node, killed[0].node, 'the rerun asked for more memory than the head has');
    const started = lines(out.stdout).filter((e) => e.type === 'trialStarted' && e.trialId === killed[0].trialId);
    const asked = started.map((e) => (e.type === 'trialStarted' ? e.forecastBytes : 0));
    assert.equal(asked[0], 50 * 1024 * 1024);
    assert.ok(asked[1] > 1.4 * (killed[0].peakRssBytes ?? NaN) || asked[1] === 1024 ** 3, `asked ${asked.join(', ')}`);
    assert.equal(run.summary.counts.done, 2);
  },
);

test(
  'the CLI killed with SIGKILL mid-run: its driver cancels the run on the cluster, and --resume finishes it without rerunning a finished trial',
  suite,
  async () => {
    const dir = workspace({ 'g.py': GRID.replace('time.sleep(1)', "time.sleep(1 if p['b'] == 1 else 30)") });
    const file = gridSpecOn(cluster, dir, 'r.tune.yaml');
    const tune = tuneInBackground(cluster, file, dir);
    await waitFor(() => tune.count('trialFinished') >= 2, 90_000, 'the two quick trials');
    await waitFor(() => tune.count('trialStarted') >= 4, 30_000, 'the slow trials running');
    const runId = tune.runId();
    tune.child.kill('SIGKILL');
    await tune.exited;
    await waitFor(() => processesOfRun(runId).length === 0, 15_000, 'the orphaned driver to cancel the trials');
    const driverLeft = () =>
      readdirSync('/proc').some((pid) => cmdOf(Number(pid)).includes('headroom_runtime.ray_driver'));
    await waitFor(() => !driverLeft(), 15_000, 'the orphaned driver to leave');
    const before = readRun(dir, runId)
      .trials.filter((t) => t.status === 'done')
      .map((t) => t.trialId);
    assert.equal(before.length, 2);
    const fast = GRID;
    writeFileSync(join(dir, 'g.py'), fast); // the slow ones finish quickly now (the resume uses the stored spec, same script path)
    const out = tuneInCluster([file, '--resume', runId], dir);
    assert.equal(out.status, 0, out.stderr + out.stdout);
    const trials = readRun(dir, runId).trials;
    for (const id of before) assert.equal(trials.filter((t) => t.trialId === id).length, 1, `${id} ran once`);
    assert.deepEqual(
      trials
        .filter((t) => t.status === 'done')
        .map((t) => t.trialId)
        .sort(),
      ['t0000', 't0001', 't0002', 't0003'],
    );
  },
);

// The engine side of the driver, by hand: the test holds its pipes, so it can cut them as a SIGKILL of
// the engine would, and see how the driver itself ends (the CLI test above cannot: the driver is orphaned).
test('a driver whose engine is gone (both pipes cut) still cancels its trials, then exits 0', suite, async () => {
  const dir = workspace({ 'g.py': GRID.replace('time.sleep(1)', 'time.sleep(60)') });
  const resolved = loadSpec(gridSpecOn(cluster, dir, 'p.tune.yaml'), { flag: python });
  const runId = `pipes-${process.pid}`;
  const launch = driverLaunch({
    python,
    runtimeDir: join(dirname(cli), 'python'),
    address: cluster.address,
    runId,
    workingDir: dir,
    excludes: [],
    dataOnNodes: null,
  });
  const driver = spawn('ip', ['netns', 'exec', cluster.ns, launch.command, ...launch.args], {
    cwd: dir,
    env: launch.env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  driver.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  driver.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => driver.once('exit', (code) => resolve(code)));
  const count = (type: string) => (stdout.match(new RegExp(`"type": "${type}"`, 'g')) ?? []).length;
  await waitFor(() => count('connected') === 1, 60_000, 'the driver to connect');
  const schedulerCfg: RaySchedulerConfig = {
    address: cluster.address,
    runId,
    nodes: [],
    workers: null,
    dataEstimateBytes: null,
    data: null,
    logLimitBytes: MiB,
    criticalBytes: 0,
    useCache: false,
  };
  for (const [i, b] of [1, 2].entries()) {
    const queued: RayQueued = {
      trialId: `t000${i}`,
      attempt: 1,
      params: { a: 1, b },
      rung: 0,
      fraction: 1,
      minForecast: 0,
    };
    const trial = trialPayload(resolved, schedulerCfg, queued, 50 * MiB);
    driver.stdin.write(JSON.stringify({ type: 'submit', trial }) + '\n');
  }
  await waitFor(() => processesOfRun(runId).length >= 2, 60_000, 'both trials running');
  driver.stdout.destroy();
  driver.stdin.end();
  assert.equal(await exited, 0, `the driver crashed instead of cancelling its trials:\n${stderr}`);
  assert.deepEqual(processesOfRun(runId).map(cmdOf), [], 'no trial outlives the driver');
  const state = clusterState(cluster);
  assert.equal(state.cpuFree, state.cpuTotal, 'no task of the run holds a CPU');
});

test(
  'the worker node killed mid-run (SIGKILL its raylet): every trial still finishes once, the record names the dead node',
  suite,
  async () => {
    const dir = workspace({ 'g.py': GRID.replace('time.sleep(1)', 'time.sleep(4)') });
    const file = gridSpecOn(cluster, dir, 'k.tune.yaml');
    const tune = tuneInBackground(cluster, file, dir);
    await waitFor(() => tune.count('trialStarted') >= 2, 60_000, 'a trial on each node');
    // The node dies as a machine would: its raylet and its Ray workers (with their trials) at once.
    killTree(cluster.worker.rayletPid);
    assert.equal(await tune.exited, 0, tune.stdout());
    const run = runOf(dir, tune.stdout());
    const done = run.trials.filter((t) => t.status === 'done');
    assert.deepEqual(
      done.map((t) => t.trialId).sort(),
      ['t0000', 't0001', 't0002', 't0003'],
      'each trial done exactly once',
    );
    const lost = run.trials.filter((t) => /^lost: /.test(t.error ?? ''));
    assert.ok(lost.length >= 1, JSON.stringify(run.trials.map((t) => [t.trialId, t.status, t.node, t.error])));
    for (const t of lost) {
      assert.equal(t.final, false);
      assert.match(t.error ?? '', new RegExp(`node ${t.node!.replace(/\./g, '\\.')} died while the trial ran there`));
    }
    // Until Ray declares the node dead, its trial is named apart: never more slots busy than there are.
    for (const e of lines(tune.stdout())) {
      if (e.type !== 'concurrency') continue;
      const [, busy, slots] = /^cluster: (\d+) of (\d+) CPU slots busy/.exec(e.decision.reason) ?? [];
      assert.ok(Number(busy) <= Number(slots), e.decision.reason);
    }
    const deadNode = lost[0].node;
    assert.ok(
      done.every((t) => t.attempt === 1 || t.node !== deadNode),
      'reruns ran on the node that is left',
    );
  },
);
