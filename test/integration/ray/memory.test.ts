/**
 * Ray's own memory monitor (not Headroom's guard) kills a trial: a one-node cluster whose node is a
 * 1 GiB memory cgroup (cluster.ts), Ray killing above 60% of it, Headroom's guard out of the way
 * (the node offers Ray 1 GiB, more than the trial reaches before Ray acts). The trial is recorded as
 * killed for memory with Ray's words, requeued once with 1.5 x its measured peak (capped at the
 * node), killed again, and then given up: never Ray's endless retry with the same request.
 * Small on purpose (the machine is shared): the cgroup caps the whole node at 1 GiB.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { spec, workspace } from '../tuning/helpers';
import { GiB, memoryCgroupUnavailable, MiB, namespaceUnavailable, startCluster, type Cluster } from './cluster';
import { lines, runOf, tuneIn } from './runs';

const unavailable = namespaceUnavailable() ?? memoryCgroupUnavailable();
if (unavailable)
  console.error(
    `\n!!! SKIPPING the Ray memory-monitor tests: ${unavailable}. They need root, network namespaces and memory cgroups. !!!\n`,
  );
const suite = { skip: unavailable ? `Ray memory-monitor tests skipped: ${unavailable}` : false, timeout: 120_000 };

let cluster: Cluster;
before(() => {
  if (!unavailable)
    cluster = startCluster({
      headMemory: GiB,
      workerMemory: null,
      memoryMonitor: { cgroupBytes: GiB, threshold: 0.6 },
    });
});
after(() => cluster?.teardown());

/** Grows by 8 MiB every 20 ms up to 900 MiB (past Ray's threshold, short of the cgroup's limit). */
const GROW = `import time
blocks = []
for i in range(112):
    b = bytearray(8 * 1024 * 1024)
    for j in range(0, len(b), 4096):
        b[j] = 1
    blocks.append(b)
    time.sleep(0.02)
`;

const MEMORY_PER_TRIAL = 50 * MiB;

function runToEnd(dir: string, file: string) {
  const out = tuneIn(cluster, [file, '--ray', cluster.address], dir, 100_000);
  const events = lines(out.stdout);
  assert.equal(events.at(-1)?.type, 'summary', out.stderr + out.stdout.slice(-2000));
  return { events, run: runOf(dir, out.stdout) };
}

function assertKilledByRayTwice(dir: string, file: string): void {
  const { events, run } = runToEnd(dir, file);
  const attempts = run.trials.filter((t) => t.trialId === 't0000');
  const brief = JSON.stringify(attempts.map((t) => [t.attempt, t.status, t.final, t.peakRssBytes, t.error]));
  assert.equal(attempts.length, 2, `one requeue, then given up: ${brief}`);
  const [first, second] = attempts;
  console.log(`Ray's OOM kill, recorded: ${first.error} (peak ${first.peakRssBytes} B, ${first.wallMs} ms)`);
  for (const t of attempts) {
    assert.equal(t.status, 'killed', brief);
    assert.match(
      t.error ?? '',
      /^killed by Ray's memory monitor: .*low on memory.*exceeded threshold of \d+B \(60\.0% of \d+B total\)/,
      brief,
    );
  }
  assert.equal(first.final, false);
  assert.match(first.error ?? '', /; requeued once with 1\.5 x its measured peak$/);
  assert.equal(second.final, true);
  assert.match(second.error ?? '', /; not retried again$/);
  // Measured on the node before Ray killed it (the guard's reports while it grew), not the request.
  assert.ok((first.peakRssBytes ?? NaN) > 100 * MiB && (first.peakRssBytes ?? NaN) < GiB, brief);
  const asked = events.flatMap((e) => (e.type === 'trialStarted' && e.trialId === 't0000' ? [e.forecastBytes] : []));
  assert.deepEqual(asked, [
    MEMORY_PER_TRIAL,
    Math.min(Math.round(1.5 * Math.max(first.peakRssBytes ?? NaN, MEMORY_PER_TRIAL)), GiB),
  ]);
}

test(
  "script mode: a trial killed by Ray's memory monitor is recorded as killed for memory and requeued once with 1.5 x its peak, never again",
  suite,
  () => {
    const dir = workspace({ 'grow.py': `${GROW}print('{"acc": 1}')\n` });
    const file = spec(
      dir,
      'g.tune.yaml',
      `script: grow.py\nparams:\n  a: [1]\nmetric: acc\nresources:\n  memoryPerTrial: 50MB\n`,
    );
    assertKilledByRayTwice(dir, file);
  },
);

test(
  "objective mode: Ray's memory monitor kills the actor; the trial is requeued once with 1.5 x its peak, never again",
  suite,
  () => {
    const indented = GROW.split('\n')
      .map((l) => (l ? `    ${l}` : l))
      .join('\n');
    const dir = workspace({ 'grow_obj.py': `def objective(p):\n${indented}    return 1.0\n` });
    const file = spec(
      dir,
      'o.tune.yaml',
      `objective: grow_obj:objective\nparams:\n  a: [1]\nmetric: acc\nresources:\n  memoryPerTrial: 50MB\n`,
    );
    assertKilledByRayTwice(dir, file);
  },
);
