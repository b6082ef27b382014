/** Running `headroom tune` against a test cluster (cluster.ts) and reading what it did: shared by the Ray test files. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { RunEvent } from '../../../src/core/tuning/events';
import type { TrialRecord } from '../../../src/core/tuning/runFiles';
import { readRun } from '../../../src/core/tuning';
import { cli, python, type Cluster } from './cluster';
import { spec } from '../tuning/helpers';

export type Line = RunEvent | { type: 'summary' | 'error'; runId?: string; message?: string; status?: string };

/** The events of a `headroom tune --json` output. */
export function lines(stdout: string): Line[] {
  return stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

/** `headroom tune ARGS --json` inside the cluster's namespace, to its end. */
export function tuneIn(cluster: Cluster, args: string[], cwd: string, timeout = 150_000) {
  return cluster.exec([process.execPath, cli, 'tune', ...args, '--json', '--python', python], { cwd, timeout });
}

/** The run a `headroom tune --json` output ends with. */
export const runOf = (dir: string, stdout: string) => readRun(dir, (lines(stdout).at(-1) as { runId: string }).runId);

export const cmdOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return `${pid} (gone)`;
  }
};

const byTrial = (records: TrialRecord[]) => new Map(records.map((r) => [`${r.trialId}#${r.attempt}`, r]));

/** Runs the spec on the local pool: each trial's metrics, and the best, are the cluster run's. */
export function assertSameAsLocal(dir: string, file: string, run: ReturnType<typeof readRun>): void {
  const local = spawnSync(process.execPath, [cli, 'tune', file, '--json', '--no-cache', '--python', python], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(local.status, 0, local.stderr);
  const localRun = runOf(dir, local.stdout);
  const remote = byTrial(run.trials);
  for (const t of localRun.trials) {
    assert.equal(t.node, undefined);
    assert.deepEqual(remote.get(`${t.trialId}#1`)?.metrics, t.metrics, t.trialId);
  }
  assert.deepEqual(run.summary.best, localRun.summary.best);
}

/** `headroom tune SPEC --json` inside the namespace, in the background: for tests that act on it mid-run. */
export function tuneInBackground(cluster: Cluster, file: string, dir: string) {
  const child = cluster.spawnTune([file, '--json'], dir);
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    stdout: () => stdout,
    count: (type: string) => (stdout.match(new RegExp(`"type":"${type}"`, 'g')) ?? []).length,
    runId: () => (lines(stdout.split('\n')[0])[0] as { runId: string }).runId,
  };
}

/** A spec file for g.py's 2 x 2 grid (a, b in 1, 2), maximizing acc, on `cluster`. */
export function gridSpecOn(cluster: Cluster, dir: string, name: string): string {
  return spec(
    dir,
    name,
    `script: g.py\nparams:\n  a: [1, 2]\n  b: [1, 2]\nmetric: acc\ncluster:\n  ray: "${cluster.address}"\n`,
  );
}
