/**
 * Tuning on a two-node Ray cluster (test/integration/ray/cluster.ts: a loopback-only network
 * namespace, head and worker with one CPU each) against the local pool, in the same run:
 * 1. The demo's RandomForest grid (3 x 3, 3-fold CV as the demo's churn_model.py has it, script mode): identical best params and scores; the
 *    wall-time ratio; the cluster's start-up time reported apart.
 * 2. 1,000 no-op trials in objective mode (an actor per slot): overhead per trial (target <= 20 ms);
 *    and no-op script-mode trials (a process per trial), for comparison.
 * Needs root (network namespaces); says so and writes nothing where it cannot make one.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRun } from '../src/core/tuning';
import { cli, namespaceUnavailable, python, startCluster, GiB, type Cluster } from '../test/integration/ray/cluster';
import { writeResult } from './lib';

const NOOP_TRIALS = Number(process.env.HEADROOM_BENCH_RAY_NOOP ?? 100);
const NOOP_OBJECTIVE_TRIALS = 1000;

type Summary = { runId: string; status: string; best: { params: Record<string, unknown>; value: number } | null };

function summaryOf(stdout: string): Summary {
  return JSON.parse(stdout.trim().split('\n').pop()!) as Summary;
}

function tune(args: string[], cwd: string, cluster?: Cluster): { seconds: number; summary: Summary } {
  const started = performance.now();
  const argv = [cli, 'tune', ...args, '--json', '--no-cache', '--python', python];
  const out = cluster
    ? cluster.exec([process.execPath, ...argv], { cwd, timeout: 1_200_000 })
    : spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', timeout: 1_200_000, maxBuffer: 1 << 30 });
  if (out.status !== 0)
    throw new Error(`headroom tune ${args.join(' ')} failed:\n${out.stderr}\n${out.stdout.slice(-3000)}`);
  return { seconds: (performance.now() - started) / 1000, summary: summaryOf(out.stdout) };
}

function main(): void {
  const unavailable = namespaceUnavailable();
  if (unavailable) {
    console.error(`!!! ray bench skipped: ${unavailable}`);
    return;
  }
  const ws = mkdtempSync(join(tmpdir(), 'headroom-bench-ray-'));
  mkdirSync(join(ws, '.git'));
  mkdirSync(join(ws, 'tuning'));
  mkdirSync(join(ws, 'data'));
  const demo = join(__dirname, '..', 'demo');
  for (const f of ['train.py', 'churn_model.py', 'rf.tune.yaml'])
    copyFileSync(join(demo, 'tuning', f), join(ws, 'tuning', f));
  copyFileSync(join(demo, 'data', 'customers.csv'), join(ws, 'data', 'customers.csv'));
  // The code ships to the nodes as a working_dir; the data stays at the same path on every node (README).
  const model = join(ws, 'tuning', 'churn_model.py');
  const text = readFileSync(model, 'utf8');
  const dataLine = 'DATA = Path(__file__).resolve().parent.parent / "data" / "customers.csv"';
  if (!text.includes(dataLine)) throw new Error(`${model}: the demo's DATA line changed`);
  writeFileSync(model, text.replace(dataLine, `DATA = Path(${JSON.stringify(join(ws, 'data', 'customers.csv'))})`));
  writeFileSync(join(ws, 'tuning', 'noop.py'), 'import json\nprint(json.dumps({"score": 0}))\n');
  writeFileSync(
    join(ws, 'tuning', 'noop.tune.json'),
    JSON.stringify({
      script: 'noop.py',
      params: { i: Array.from({ length: NOOP_TRIALS }, (_, i) => i) },
      metric: 'score',
    }),
  );
  writeFileSync(join(ws, 'tuning', 'noop_obj.py'), 'def objective(p):\n    return 0.0\n');
  writeFileSync(
    join(ws, 'tuning', 'noopobj.tune.json'),
    JSON.stringify({
      objective: 'noop_obj:objective',
      params: { i: Array.from({ length: NOOP_OBJECTIVE_TRIALS }, (_, i) => i) },
      metric: 'score',
    }),
  );
  const spec = join(ws, 'tuning', 'rf.tune.yaml');
  const startAt = performance.now();
  const cluster = startCluster(4 * GiB, 4 * GiB);
  const startupSeconds = (performance.now() - startAt) / 1000;
  try {
    const local = tune([spec], ws);
    const remote = tune([spec, '--ray', cluster.address], ws, cluster);
    const localTrials = readRun(ws, local.summary.runId).trials;
    const remoteTrials = readRun(ws, remote.summary.runId).trials;
    const scoreDiffs = localTrials.map((t) => {
      const r = remoteTrials.find((x) => x.trialId === t.trialId && x.status === 'done');
      return r?.value == null || t.value === null ? Infinity : Math.abs(r.value - t.value);
    });
    const nodes = new Set(remoteTrials.map((t) => t.node));
    const noop = tune([join(ws, 'tuning', 'noop.tune.json'), '--ray', cluster.address], ws, cluster);
    const noopTrials = readRun(ws, noop.summary.runId).trials;
    const busyMs = noopTrials.reduce((s, t) => s + t.wallMs, 0);
    const objective = tune([join(ws, 'tuning', 'noopobj.tune.json'), '--ray', cluster.address], ws, cluster);
    const objectiveTrials = readRun(ws, objective.summary.runId).trials;
    // From the first trial's start to the last one's end: the actors' start-up (imports, worker) apart.
    const span =
      Math.max(...objectiveTrials.map((t) => t.endedAt)) - Math.min(...objectiveTrials.map((t) => t.startedAt));
    const results = {
      rf: {
        identicalBestParams: JSON.stringify(local.summary.best?.params) === JSON.stringify(remote.summary.best?.params),
        bestParams: { local: local.summary.best?.params, cluster: remote.summary.best?.params },
        bestScore: { local: local.summary.best?.value, cluster: remote.summary.best?.value },
        maxScoreDifference: Math.max(...scoreDiffs),
        wallSeconds: { local: local.seconds, cluster: remote.seconds },
        wallRatio: remote.seconds / local.seconds,
        clusterStartupSeconds: startupSeconds,
        nodesUsed: nodes.size,
      },
      noopObjectiveMode: {
        trials: NOOP_OBJECTIVE_TRIALS,
        done: objectiveTrials.filter((t) => t.status === 'done').length,
        wallSeconds: objective.seconds,
        msPerTrialPerSlot: (span * 2) / NOOP_OBJECTIVE_TRIALS,
        msPerTrialWholeRun: (objective.seconds * 1000) / NOOP_OBJECTIVE_TRIALS,
      },
      noopScriptMode: {
        trials: NOOP_TRIALS,
        done: noopTrials.filter((t) => t.status === 'done').length,
        wallSeconds: noop.seconds,
        // 2 slots: the run's wall time per trial per slot, and the part of it a trial itself took.
        msPerTrialPerSlot: (noop.seconds * 1000 * 2) / NOOP_TRIALS,
        msTrialWallMean: busyMs / NOOP_TRIALS,
      },
    };
    writeResult('ray', results, [
      `demo RF grid 3x3 (3-fold CV): local ${local.seconds.toFixed(1)} s, 2-node cluster ${remote.seconds.toFixed(1)} s (ratio ${results.rf.wallRatio.toFixed(2)}), cluster start-up ${startupSeconds.toFixed(1)} s apart`,
      `  best params identical: ${results.rf.identicalBestParams}; max score difference ${results.rf.maxScoreDifference}; trials on ${nodes.size} nodes`,
      `${NOOP_OBJECTIVE_TRIALS} no-op objective-mode trials on the cluster: ${objective.seconds.toFixed(1)} s in all, ${results.noopObjectiveMode.msPerTrialPerSlot.toFixed(1)} ms per trial per slot (first start to last end; target <= 20 ms)`,
      `${NOOP_TRIALS} no-op script-mode trials on the cluster: ${noop.seconds.toFixed(1)} s, ${results.noopScriptMode.msPerTrialPerSlot.toFixed(0)} ms per trial per slot`,
    ]);
  } finally {
    cluster.teardown();
    rmSync(ws, { recursive: true, force: true });
  }
}

main();
