/**
 * The footprint service's cache policy (src/scanCache.ts): the same file is never scanned twice for
 * the same model and options, not even by two requests at once; an exact result answers quick
 * requests; a changed file or a failed scan is scanned again.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FootprintMode } from '../../../src/core/footprint/types';
import { ScanCache } from '../../../src/scanCache';

interface Result {
  mode: FootprintMode;
  n: number;
}

function setup() {
  const identity = new Map<string, string>([['/d/a.csv', '100:1']]);
  const cache = new ScanCache<Result>(
    async (path) => {
      const id = identity.get(path);
      if (!id) throw new Error(`ENOENT: ${path}`);
      return id;
    },
    (r) => r.mode,
  );
  let scans = 0;
  /** A scan that answers `mode` when `release` is called (or at once). */
  const scanner = (mode: FootprintMode) => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const scan = async (): Promise<Result> => {
      const n = ++scans;
      await gate;
      return { mode, n };
    };
    return { scan, release };
  };
  return { cache, identity, scanner, scans: () => scans };
}

const quickA = { path: '/d/a.csv', key: 'a|model', mode: 'quick' as const };
const exactA = { ...quickA, mode: 'exact' as const };

test('two requests at once for the same file, model and mode start one scan', async () => {
  const { cache, scanner, scans } = setup();
  const { scan, release } = scanner('quick');
  const first = cache.get(quickA, scan);
  const second = cache.get(quickA, scan);
  await new Promise((r) => setImmediate(r));
  release();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(scans(), 1);
  assert.equal(a, b);
  assert.equal(await cache.get(quickA, scan), a, 'then answered from the cache');
  assert.equal(scans(), 1);
});

test('an exact result answers a quick request; a quick one does not answer an exact request nor replace an exact one', async () => {
  const { cache, scanner, scans } = setup();
  const quick = scanner('quick');
  const exact = scanner('exact');
  const q = cache.get(quickA, quick.scan);
  const e = cache.get(exactA, exact.scan);
  await new Promise((r) => setImmediate(r));
  assert.equal(scans(), 2, 'a quick scan in flight does not answer an exact request');
  exact.release();
  const exactResult = await e;
  quick.release();
  assert.equal((await q).mode, 'quick', 'the quick request gets its own result');
  assert.equal(await cache.lookup(quickA), exactResult, 'the later quick result did not replace the exact one');
  assert.equal(await cache.get(quickA, quick.scan), exactResult);
  assert.equal(scans(), 2);
});

test('a changed file, a failed scan and a cleared cache are scanned again; a file gone is an error', async () => {
  const { cache, identity, scanner, scans } = setup();
  const s = scanner('quick');
  s.release();
  await cache.get(quickA, s.scan);
  identity.set('/d/a.csv', '120:2');
  assert.equal(await cache.lookup(quickA), undefined);
  await cache.get(quickA, s.scan);
  assert.equal(scans(), 2, 'changed file');
  const failing = async (): Promise<Result> => {
    throw new Error('boom');
  };
  await assert.rejects(cache.get(exactA, failing), /boom/);
  await cache.get(exactA, s.scan);
  assert.equal(scans(), 3, 'failed scan');
  cache.clear();
  await cache.get(quickA, s.scan);
  assert.equal(scans(), 4, 'cleared');
  identity.delete('/d/a.csv');
  await assert.rejects(cache.get(quickA, s.scan), /ENOENT/);
});

test('a request that joined a scan its own requester cancelled scans itself', async () => {
  const { cache, scanner, scans } = setup();
  const cancel = new AbortController();
  const first = scanner('quick');
  let cancelNow!: () => void;
  const cancelled = new Promise<void>((r) => (cancelNow = r));
  const cancelledScan = async (): Promise<Result> => {
    void first.scan();
    await cancelled;
    cancel.abort();
    throw new Error('cancelled');
  };
  const background = cache.get({ ...quickA, signal: cancel.signal }, cancelledScan);
  const second = scanner('quick');
  second.release();
  const wanted = cache.get(quickA, second.scan);
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  assert.equal(scans(), 1, 'the second request joined the scan in flight');
  cancelNow();
  await assert.rejects(background, /cancelled/);
  assert.deepEqual(await wanted, { mode: 'quick', n: 2 });
  assert.equal(scans(), 2);
});
