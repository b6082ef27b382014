/**
 * The host glue and the lazy engine bundles run in one process: each engine module, and so each
 * piece of engine state (the run registry, the footprint worker pool, the error classes), must exist
 * once there. These tests load the glue as it ships (bundled, next to dist/lazy-*.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { before, test } from 'node:test';
import { loadHostBundle } from '../../support/hostBundle';
import { python, spec, workspace } from '../tuning/helpers';

const root = join(__dirname, '..', '..', '..');
type Host = typeof import('./hostEntry');
let host: Host;

before(async () => {
  host = await loadHostBundle<Host>('test/integration/host/hostEntry.ts');
});

/** Threads of this process (worker threads are threads of it). */
const threads = () => readdirSync('/proc/self/task').length;

test("this window's live run is listed as running, not interrupted, and cannot be deleted", async () => {
  const dir = workspace({ 'slow.py': 'import json, time\ntime.sleep(4)\nprint(json.dumps({"m": 1}))\n' });
  const file = spec(dir, 'slow.tune.yaml', 'script: slow.py\nparams:\n  a: [1]\nmetric: m\n');
  const run = await host.engineRunSource.start(file, { workspace: dir, python: { setting: python } });
  try {
    const listed = host.engineRunSource.listRuns(dir).find((r) => r.runId === run.runId);
    assert.equal(listed?.status, 'running');
    assert.equal(host.engineRunSource.readRun(dir, run.runId).summary.status, 'running');
    assert.throws(() => host.engineRunSource.deleteRun(dir, run.runId), /still running/);
  } finally {
    await run.stop();
  }
  assert.equal(host.engineRunSource.listRuns(dir)[0].status, 'stopped');
});

test('FootprintError is one class: the module defining it, and the pool and run store, are in one host bundle each', async () => {
  const { coreModulesByBundle } = (await import(pathToFileURL(join(root, 'scripts', 'check-bundles.mjs')).href)) as {
    coreModulesByBundle(dist: string): Record<string, string[]>;
  };
  const byBundle = coreModulesByBundle(join(root, 'dist'));
  for (const module of ['src/core/footprint/types.ts', 'src/core/footprint/pool.ts', 'src/core/tuning/runStore.ts']) {
    const bundles = Object.keys(byBundle).filter((b) => byBundle[b].includes(module));
    assert.equal(bundles.length, 1, `${module} is in ${bundles.join(', ')}`);
  }
});

test("closeFootprintEngine stops every footprint worker thread, those of tuning's data estimate included", async () => {
  const dir = workspace({ 'fit.py': 'import json\nprint(json.dumps({"m": 1}))\n' });
  // Over 8 MB of Parquet: its columns are read by the footprint worker pool, also in quick mode.
  const made = spawnSync(
    python,
    [
      '-c',
      'import sys, numpy as np, pyarrow as pa, pyarrow.parquet as pq\n' +
        'n = 600_000\n' +
        "pq.write_table(pa.table({'a': np.arange(n), 'text': np.char.add('value-', (np.arange(n) * 7919 % 100_003).astype(str))}), sys.argv[1], compression='none', row_group_size=50_000)\n",
      join(dir, 'big.parquet'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(made.status, 0, made.stderr);
  assert.ok(statSync(join(dir, 'big.parquet')).size > 8 * 1024 * 1024);
  await new Promise((r) => setTimeout(r, 200));
  const baseline = threads();
  const file = spec(dir, 'fit.tune.yaml', 'script: fit.py\ndata: big.parquet\nparams:\n  a: [1]\nmetric: m\n');
  const run = await host.engineRunSource.start(file, { workspace: dir, python: { setting: python } });
  const summary = await run.done;
  assert.equal(summary.status, 'done');
  await host.engines.closeFootprintEngine();
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(threads() <= baseline, `${threads()} threads after closing, ${baseline} before the run`);
});
