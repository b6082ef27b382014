/**
 * The connection to the cluster lost mid-run: the head node dies (every Ray process of the cluster
 * SIGKILLed, as when its machine goes down). The run must end as `interrupted`, keep what finished,
 * and `--resume` on the cluster started again must finish it without rerunning a finished trial.
 * A cluster of its own (a head alone), since the test ends it.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readRun } from '../../../src/core/tuning';
import { waitFor, workspace } from '../tuning/helpers';
import { namespaceUnavailable, nsPids, startCluster, type Cluster } from './cluster';
import { cmdOf, gridSpecOn, lines, tuneIn, tuneInBackground } from './runs';

const unavailable = namespaceUnavailable();
if (unavailable)
  console.error(`\n!!! SKIPPING the Ray head-lost test: ${unavailable}. It needs root and network namespaces. !!!\n`);
const suite = { skip: unavailable ? `Ray cluster tests skipped: ${unavailable}` : false, timeout: 180_000 };

let cluster: Cluster | undefined;
after(() => cluster?.teardown());

// Trials with b == 1 finish in a second; the others would run for a minute.
const GRID = `import time\nimport headroom_runtime as hr\np = hr.params()\ntime.sleep(1 if p['b'] == 1 else 60)\nhr.report(acc=p['a'] * 10 + p['b'])\n`;

// The CLI, its driver and the `ip netns exec` that started them are Headroom's, not the cluster's.
const isClusterProcess = (pid: number) => !/cli\.js|headroom_runtime\.ray_driver|^ip /.test(cmdOf(pid));

test(
  'the head lost mid-run: the run ends interrupted, and --resume on the restarted cluster reruns nothing that finished',
  suite,
  async () => {
    cluster = startCluster({ workerMemory: null });
    const dir = workspace({ 'g.py': GRID });
    const file = gridSpecOn(cluster, dir, 'lost.tune.yaml');
    const tune = tuneInBackground(cluster, file, dir);
    await waitFor(() => tune.count('trialFinished') >= 1, 90_000, 'a finished trial');
    await waitFor(() => tune.count('trialStarted') >= 2, 30_000, 'a slow trial running');
    const runId = tune.runId();

    const killedAt = Date.now();
    for (const pid of nsPids(cluster.ns).filter(isClusterProcess)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    const code = await Promise.race([tune.exited, new Promise((r) => setTimeout(() => r('hung'), 30_000))]);
    assert.notEqual(code, 'hung', `the CLI did not end within 30 s of the head's death:\n${tune.stdout()}`);
    const lostAfterMs = Date.now() - killedAt;

    assert.equal(code, 1, 'a run cut short exits 1 (0 would tell a script it succeeded)');
    const run = readRun(dir, runId);
    assert.equal(run.summary.status, 'interrupted', JSON.stringify(run.summary));
    assert.match(run.summary.error ?? '', /127\.0\.0\.1:6379/, 'the error names the cluster');
    const summary = lines(tune.stdout()).at(-1) as { type: string; status?: string };
    assert.equal(summary.status, 'interrupted', tune.stdout().slice(-2000));
    const finished = run.trials.filter((t) => t.status === 'done').map((t) => t.trialId);
    assert.ok(finished.length >= 1, JSON.stringify(run.trials));
    console.log(`head lost: the CLI ended ${lostAfterMs} ms later (exit ${String(code)}); ${finished.length} finished`);

    // The cluster comes back (same address): the run continues there.
    cluster.teardown();
    cluster = startCluster({ workerMemory: null });
    // The slow trials finish quickly on the resumed run (same script path: the resume uses the stored spec).
    writeFileSync(join(dir, 'g.py'), GRID.replace("1 if p['b'] == 1 else 60", '1'));
    const out = tuneIn(cluster, [file, '--resume', runId], dir);
    assert.equal(out.status, 0, out.stderr + out.stdout);
    const trials = readRun(dir, runId).trials;
    for (const id of finished) {
      assert.equal(trials.filter((t) => t.trialId === id && t.status === 'done').length, 1, `${id} ran once`);
    }
    assert.deepEqual([...new Set(trials.filter((t) => t.status === 'done').map((t) => t.trialId))].sort(), [
      't0000',
      't0001',
      't0002',
      't0003',
    ]);
    assert.equal(readRun(dir, runId).summary.status, 'done');
  },
);
