/**
 * The joblib backend's other promises, on small data in one Python run (features.py): BLAS/OpenMP
 * pinned so workers x threads never exceed the cores; the first forecast from the data handed to the
 * workers; randomized and halving searches with the default backend's scores, recorded as such; the
 * memory guard stopping the newest task over the budget and running it again, the results intact;
 * cgroup limits read for memory and CPUs, with the tuning runs' reserve.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { readRun } from '../../../src/core/tuning';
import { pythons, repoRoot, requirePython } from '../../support/python';

interface Features {
  threads: { cores: number; workers: number; perWorker: { omp: string; pools: number[] }[] };
  forecast: { first: number; dataBytes: number };
  random: { default: number[]; headroom: number[]; runDir: string };
  halving: { default: number[]; headroom: number[]; runDir: string };
  guard: { results: number[]; runDir: string; decisions: string[] };
  cgroup: { total: number; available: number; source: string; cores: number; reserve: number };
}

const MiB = 2 ** 20;
let ws: string;
let r: Features;
before(() => {
  ws = mkdtempSync(join(tmpdir(), 'headroom-joblib-features-'));
  mkdirSync(join(ws, '.headroom'));
  const out = spawnSync(requirePython(pythons.test), [join(__dirname, 'features.py'), ws], {
    encoding: 'utf8',
    timeout: 600_000,
    env: { ...process.env, PYTHONPATH: join(repoRoot, 'python'), HEADROOM_WORKSPACE: '' },
  });
  assert.equal(out.status, 0, out.stderr);
  r = JSON.parse(out.stdout.trim().split('\n').pop()!) as Features;
});
after(() => rmSync(ws, { recursive: true, force: true }));

describe('headroom joblib backend: threads, forecasts, searches, guard, cgroups', () => {
  it('pins BLAS and OpenMP in each worker: workers x threads <= cores', () => {
    const { cores, workers, perWorker } = r.threads;
    const threads = Math.max(1, Math.floor(cores / workers));
    for (const w of perWorker) {
      assert.equal(w.omp, String(threads));
      assert.deepEqual(w.pools, [threads], 'every threadpool (BLAS, OpenMP) capped');
    }
    assert.ok(workers * threads <= cores);
  });

  it("forecasts the first task from the data passed: the memory-mapped X and y, and the fold's copies", () => {
    assert.ok(r.forecast.first >= 2 * r.forecast.dataBytes, `${r.forecast.first} < 2 x ${r.forecast.dataBytes}`);
    assert.ok(r.forecast.first < 3 * r.forecast.dataBytes, `${r.forecast.first} >= 3 x ${r.forecast.dataBytes}`);
  });

  for (const kind of ['random', 'halving'] as const) {
    it(`a ${kind} search: the default backend's scores, recorded as a ${kind} search`, () => {
      assert.deepEqual(r[kind].headroom, r[kind].default);
      const run = readRun(ws, basename(r[kind].runDir));
      assert.equal(run.summary.search, kind);
      assert.equal(run.summary.status, 'done');
      if (kind === 'halving') assert.ok(Math.max(...run.trials.map((t) => t.rung)) >= 1, 'halving rounds are rungs');
    });
  }

  it('over the budget the guard stops the newest task and runs it again later; results intact', () => {
    assert.deepEqual(r.guard.results, [1, 11]);
    const run = readRun(ws, basename(r.guard.runDir));
    const killed = run.trials.filter((t) => t.status === 'killed');
    assert.equal(killed.length, 1, JSON.stringify(run.trials.map((t) => [t.trialId, t.status])));
    assert.match(
      killed[0].error ?? '',
      /^stopped for memory: tasks use .* over the 300 MiB budget; it runs again later$/,
    );
    const again = run.trials.find((t) => t.trialId === killed[0].trialId && t.attempt === 2);
    assert.equal(again?.status, 'done');
    assert.equal(run.summary.status, 'done');
    assert.ok(r.guard.decisions.some((d) => /lowered by the memory guard/.test(d)));
  });

  it('reads the cgroup: what is left under its memory limit, its CPU quota, the reserve as for tuning runs', () => {
    // memory.max 1 GiB, 600 MiB charged of which 100 MiB inactive file cache; cpu.max 1.5 CPUs.
    assert.deepEqual(r.cgroup, {
      total: 1024 * MiB,
      available: 524 * MiB,
      source: 'cgroup',
      cores: 2,
      reserve: 256 * MiB,
    });
  });
});
