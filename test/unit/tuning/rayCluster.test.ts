import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseSpec, SpecError } from '../../../src/core/tuning/spec';
import { decideCluster, freeMemoryByNode } from '../../../src/core/tuning/rayAdmission';
import type { RayNodeState } from '../../../src/core/tuning/rayDriver';
import { dataPlacement, resolveRayAddress, SHIP_DATA_LIMIT_BYTES } from '../../../src/core/tuning/rayLaunch';
import { lostOutcome } from '../../../src/core/tuning/rayOutcome';

const GiB = 1024 ** 3;
const dir = mkdtempSync(join(tmpdir(), 'headroom-ray-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'train.py'), 'print(1)\n');
const file = join(dir, 'c.tune.yaml');

const node = (id: string, cpus: number, memGiB: number, alive = true): RayNodeState => ({
  nodeId: id,
  name: `10.0.0.${id}/${id}`,
  alive,
  cpuTotal: cpus,
  cpuFree: cpus,
  memoryTotal: memGiB * GiB,
  memoryFree: memGiB * GiB,
});

test('cluster: in a spec is validated: HOST:PORT or auto, nothing else', () => {
  const base = 'script: train.py\nparams:\n  n: [1]\nmetric: acc\n';
  assert.deepEqual(parseSpec(base + 'cluster:\n  ray: "10.0.0.5:6379"\n', file).cluster, { ray: '10.0.0.5:6379' });
  assert.deepEqual(parseSpec(base + 'cluster:\n  ray: auto\n', file).cluster, { ray: 'auto' });
  assert.equal(parseSpec(base, file).cluster, null);
  for (const bad of [
    'cluster:\n  ray: "10.0.0.5"\n',
    'cluster:\n  ray: 6379\n',
    'cluster: {}\n',
    'cluster:\n  ray: auto\n  x: 1\n',
  ]) {
    assert.throws(
      () => parseSpec(base + bad, file),
      (e: unknown) => e instanceof SpecError && /cluster|'ray'|'x'/.test(e.message),
      bad,
    );
  }
  assert.throws(() => parseSpec(base + 'cluster:\n  ray: "h"\n', file), /HOST:PORT/);
});

test('ray: auto reads RAY_ADDRESS, and says what to do without it', () => {
  assert.equal(resolveRayAddress('h:1'), 'h:1');
  assert.equal(resolveRayAddress('auto', { RAY_ADDRESS: 'ray://10.1.1.1:6379' }), '10.1.1.1:6379');
  assert.throws(() => resolveRayAddress('auto', {}), /RAY_ADDRESS is not set/);
});

test('cluster admission speaks of slots and of memory free on one node', () => {
  const nodes = [node('1', 4, 8), node('2', 4, 8), node('3', 8, 64, false)];
  const inFlight = [
    ...Array.from({ length: 3 }, () => ({ nodeId: '1', memoryBytes: 2 * GiB })),
    ...Array.from({ length: 3 }, () => ({ nodeId: '2', memoryBytes: 2 * GiB })),
  ];
  const d = decideCluster({
    nodes,
    threadsPerTrial: 1,
    workers: null,
    inFlight,
    nextMemoryBytes: 3.1 * GiB,
    queued: 2,
  });
  assert.equal(d.canStart, false);
  assert.equal(d.bound, 'memory');
  assert.equal(d.reason, 'cluster: 6 of 8 CPU slots busy on 2 nodes; 2 trials wait for 3.10 GiB free on one node');
  const fits = decideCluster({
    nodes,
    threadsPerTrial: 1,
    workers: null,
    inFlight,
    nextMemoryBytes: 2 * GiB,
    queued: 2,
  });
  assert.equal(fits.canStart, true);
  const full = decideCluster({
    nodes,
    threadsPerTrial: 2,
    workers: null,
    inFlight: inFlight.slice(0, 4),
    nextMemoryBytes: 0,
    queued: 1,
  });
  assert.equal(full.reason, 'cluster: 4 of 4 CPU slots busy on 2 nodes; 1 trial waits for a free slot (2 CPUs each)');
  assert.equal(full.bound, 'cpu');
  const capped = decideCluster({
    nodes,
    threadsPerTrial: 1,
    workers: 2,
    inFlight: inFlight.slice(0, 2),
    nextMemoryBytes: 0,
    queued: 1,
  });
  assert.equal(capped.bound, 'workers');
  // A request above every node is capped at the largest node, not left waiting forever.
  const huge = decideCluster({
    nodes,
    threadsPerTrial: 1,
    workers: null,
    inFlight: [],
    nextMemoryBytes: 100 * GiB,
    queued: 1,
  });
  assert.equal(huge.canStart, true);
  assert.equal(huge.perTrialBytes, 8 * GiB);
});

test('trials not placed yet take their memory from the roomiest node', () => {
  const free = freeMemoryByNode([node('1', 1, 4), node('2', 1, 6)], [{ nodeId: null, memoryBytes: 3 * GiB }]);
  assert.deepEqual(
    [...free.entries()],
    [
      ['1', 4 * GiB],
      ['2', 3 * GiB],
    ],
  );
});

test('a big data file stays out of the shipped code; a small one ships with it', () => {
  writeFileSync(join(dir, 'small.csv'), 'a\n1\n');
  const base = 'script: train.py\nparams:\n  n: [1]\nmetric: acc\ncluster:\n  ray: auto\n';
  const small = dataPlacement(parseSpec(base + 'data: small.csv\n', file));
  assert.deepEqual(small.excludes, ['.headroom/', '.git/']);
  assert.equal(small.data?.relative, null);
  writeFileSync(join(dir, 'big.csv'), Buffer.alloc(SHIP_DATA_LIMIT_BYTES + 1));
  const big = dataPlacement(parseSpec(base + 'data: big.csv\n', file));
  assert.deepEqual(big.excludes, ['.headroom/', '.git/', '/big.csv']);
  assert.equal(big.data?.relative, 'big.csv');
});

test('a trial on a node that died holds no slot: never more busy than there are slots', () => {
  // The worker node died with a trial on it; Ray has not yet reported that trial lost (about 14 s).
  const nodes = [node('1', 1, 1), node('2', 1, 1, false)];
  const d = decideCluster({
    nodes,
    threadsPerTrial: 1,
    workers: null,
    inFlight: [
      { nodeId: '1', memoryBytes: GiB / 4 },
      { nodeId: '2', memoryBytes: GiB / 4 },
    ],
    nextMemoryBytes: 0,
    queued: 2,
  });
  assert.equal(
    d.reason,
    'cluster: 1 of 1 CPU slots busy on 1 node; 1 trial on a dead node; 2 trials wait for a free slot (1 CPU each)',
  );
  assert.equal(d.running, 1);
  assert.equal(d.canStart, false);
  // Its memory went with its node: the alive node's free memory is its own trial's business only.
  assert.deepEqual([...freeMemoryByNode(nodes, [{ nodeId: '2', memoryBytes: GiB / 4 }]).entries()], [['1', GiB]]);
  // The node gone entirely from Ray's list: the same. A submitted trial beyond the slots left waits in Ray.
  const gone = decideCluster({
    nodes: [node('1', 1, 1)],
    threadsPerTrial: 1,
    workers: null,
    inFlight: [
      { nodeId: '2', memoryBytes: 0 },
      { nodeId: '1', memoryBytes: 0 },
      { nodeId: null, memoryBytes: 0 },
    ],
    nextMemoryBytes: 0,
    queued: 0,
  });
  assert.equal(
    gone.reason,
    'cluster: 1 of 1 CPU slots busy on 1 node; 1 trial on a dead node; 1 submitted waits in Ray for a slot; nothing queued',
  );
});

test('an attempt lost before its node reported any reading records no peak or CPU time; one that reported keeps them', () => {
  const silent = lostOutcome({ startedAt: 1, usageAt: 0, peakBytes: 0, cpuMs: 0 }, 'cancel');
  assert.equal(silent.peakRssBytes, null);
  assert.equal(silent.cpuMs, null);
  assert.equal(silent.status, 'killed');
  const read = lostOutcome({ startedAt: 1, usageAt: 5, peakBytes: 14_000_000, cpuMs: 0 }, null);
  assert.equal(read.peakRssBytes, 14_000_000);
  assert.equal(read.cpuMs, 0, 'a measured 0 stays 0');
  assert.equal(read.status, 'failed');
});
