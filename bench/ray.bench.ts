/**
 * Tuning on a two-node Ray cluster (test/integration/ray/cluster.ts: a loopback-only network
 * namespace, head and worker with one CPU each) against the local pool, in the same run:
 * 1. The seeds' RandomForest grid (the demo's churn model, 3 x 3, 5-fold CV as bench/joblib_rf.py scores it, script mode): identical best params and scores; the
 *    wall-time ratio; the cluster's start-up time reported apart.
 * 2. 1,000 no-op trials in objective mode (an actor per slot): overhead per trial (target <= 20 ms);
 *    and no-op script-mode trials (a process per trial), for comparison.
 * Needs root (network namespaces); says so and writes nothing where it cannot make one.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRun } from '../src/core/tuning';
import {
  cli,
  namespaceUnavailable,
  nsPids,
  python,
  startCluster,
  GiB,
  type Cluster,
} from '../test/integration/ray/cluster';
import { writeResult } from './lib';

const NOOP_TRIALS = Number(process.env.HEADROOM_BENCH_RAY_NOOP ?? 100);
const NOOP_OBJECTIVE_TRIALS = Number(process.env.HEADROOM_BENCH_RAY_OBJECTIVE ?? 1000);
/** Which parts run (comma-separated: rf, script, objective); all by default. */
const PARTS = new Set((process.env.HEADROOM_BENCH_RAY_PARTS ?? 'rf,script,objective').split(','));
/** Another build's dist/cli.js (e.g. a copy of main's dist/): its no-op runs go first, on the same cluster, for same-session ratios. */
const BASELINE_CLI = process.env.HEADROOM_BENCH_RAY_BASELINE_CLI;
const TICK_MS = 10; // USER_HZ is 100 on Linux

type Summary = { runId: string; status: string; best: { params: Record<string, unknown>; value: number } | null };

function summaryOf(stdout: string): Summary {
  return JSON.parse(stdout.trim().split('\n').pop()!) as Summary;
}

function cpuTicks(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) of every process in the cluster's namespace while a run lasts: the CLI, its
 * driver, the raylets, GCS and the Ray workers. Sampled every 100 ms (a process that ends loses at
 * most its last 100 ms), so the machine's other load does not count.
 */
function kindOf(pid: number): string {
  let cmd: string;
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return 'gone';
  }
  if (cmd.includes('headroom_runtime.ray_driver')) return 'driver';
  if (cmd.includes(' tune ')) return 'cli';
  if (cmd.startsWith('ray::')) return 'rayWorkers';
  return 'raySystem';
}

/**
 * CPU time (user + system, ms) of every process in the cluster's namespace while a run lasts, by kind:
 * the CLI, its driver, the Ray workers (actors), Ray's own (raylets, GCS). Sampled every 100 ms (a
 * process that ends loses at most its last 100 ms), so the machine's other load does not count.
 */
function namespaceCpu(ns: string): () => Record<string, number> {
  const base = new Map<number, number>();
  const last = new Map<number, number>();
  const kinds = new Map<number, string>();
  for (const pid of nsPids(ns)) base.set(pid, cpuTicks(pid) ?? 0);
  const sample = () => {
    for (const pid of nsPids(ns)) {
      const t = cpuTicks(pid);
      if (t === null) continue;
      last.set(pid, t);
      // Again each time: a process is seen between fork and exec, a Ray worker before it names itself.
      const kind = kindOf(pid);
      if (kind !== 'gone') kinds.set(pid, kind);
    }
  };
  const timer = setInterval(sample, 100);
  return () => {
    sample();
    clearInterval(timer);
    const ms: Record<string, number> = { all: 0 };
    for (const [pid, t] of last) {
      const spent = (t - (base.get(pid) ?? 0)) * TICK_MS;
      const kind = kinds.get(pid) ?? 'raySystem';
      ms[kind] = (ms[kind] ?? 0) + spent;
      ms.all += spent;
    }
    return ms;
  };
}

async function tune(
  args: string[],
  cwd: string,
  cluster?: Cluster,
  cliPath = cli,
): Promise<{ seconds: number; cpuMs: Record<string, number> | null; summary: Summary }> {
  const started = performance.now();
  const argv = [cliPath, 'tune', ...args, '--json', '--no-cache', '--python', python];
  if (!cluster) {
    const out = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', timeout: 1_200_000, maxBuffer: 1 << 30 });
    if (out.status !== 0)
      throw new Error(`headroom tune ${args.join(' ')} failed:\n${out.stderr}\n${out.stdout.slice(-3000)}`);
    return { seconds: (performance.now() - started) / 1000, cpuMs: null, summary: summaryOf(out.stdout) };
  }
  const cpu = namespaceCpu(cluster.ns);
  const child = spawn('ip', ['netns', 'exec', cluster.ns, process.execPath, ...argv], {
    cwd,
    env: { ...process.env, RAY_USAGE_STATS_ENABLED: '0' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const cpuMs = cpu();
  if (code !== 0) throw new Error(`headroom tune ${args.join(' ')} failed:\n${stderr}\n${stdout.slice(-3000)}`);
  return { seconds: (performance.now() - started) / 1000, cpuMs, summary: summaryOf(stdout) };
}

async function main(): Promise<void> {
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
  // The seeds' grid is scored with 5-fold CV (bench/joblib_rf.py, issue 15); the demo's model defaults to 3.
  const folds = 'def cv_auc(X, y, n_estimators, max_depth, folds=3):';
  if (!text.includes(folds)) throw new Error(`${model}: the demo's cv_auc signature changed`);
  writeFileSync(
    model,
    text
      .replace(dataLine, `DATA = Path(${JSON.stringify(join(ws, 'data', 'customers.csv'))})`)
      .replace(folds, folds.replace('folds=3', 'folds=5')),
  );
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
  const cluster = startCluster({ headMemory: 4 * GiB, workerMemory: 4 * GiB });
  const startupSeconds = (performance.now() - startAt) / 1000;
  const results: Record<string, unknown> = {};
  const summary: string[] = [];
  try {
    if (PARTS.has('rf')) {
      const local = await tune([spec], ws);
      const remote = await tune([spec, '--ray', cluster.address], ws, cluster);
      const localTrials = readRun(ws, local.summary.runId).trials;
      const remoteTrials = readRun(ws, remote.summary.runId).trials;
      const scoreDiffs = localTrials.map((t) => {
        const r = remoteTrials.find((x) => x.trialId === t.trialId && x.status === 'done');
        return r?.value == null || t.value === null ? Infinity : Math.abs(r.value - t.value);
      });
      const nodes = new Set(remoteTrials.map((t) => t.node));
      const rf = {
        identicalBestParams: JSON.stringify(local.summary.best?.params) === JSON.stringify(remote.summary.best?.params),
        bestParams: { local: local.summary.best?.params, cluster: remote.summary.best?.params },
        bestScore: { local: local.summary.best?.value, cluster: remote.summary.best?.value },
        maxScoreDifference: Math.max(...scoreDiffs),
        wallSeconds: { local: local.seconds, cluster: remote.seconds },
        wallRatio: remote.seconds / local.seconds,
        clusterStartupSeconds: startupSeconds,
        nodesUsed: nodes.size,
        // Where the time went: each attempt's node, status and wall time.
        trials: {
          local: localTrials.map((t) => ({ id: t.trialId, status: t.status, wallMs: t.wallMs })),
          cluster: remoteTrials.map((t) => ({
            id: t.trialId,
            attempt: t.attempt,
            node: t.node,
            status: t.status,
            wallMs: t.wallMs,
            startedAt: t.startedAt,
            error: t.error,
          })),
        },
      };
      results.rf = rf;
      summary.push(
        `RF grid 3x3 (cv=5): local ${local.seconds.toFixed(1)} s, 2-node cluster ${remote.seconds.toFixed(1)} s (ratio ${rf.wallRatio.toFixed(2)}), cluster start-up ${startupSeconds.toFixed(1)} s apart`,
        `  best params identical: ${rf.identicalBestParams}; max score difference ${rf.maxScoreDifference}; trials on ${nodes.size} nodes`,
      );
    }
    if (PARTS.has('script')) {
      const noopScript = async (cliPath: string) => {
        const noop = await tune([join(ws, 'tuning', 'noop.tune.json'), '--ray', cluster.address], ws, cluster, cliPath);
        const noopTrials = readRun(ws, noop.summary.runId).trials;
        const busyMs = noopTrials.reduce((s, t) => s + t.wallMs, 0);
        return {
          trials: NOOP_TRIALS,
          done: noopTrials.filter((t) => t.status === 'done').length,
          wallSeconds: noop.seconds,
          // 2 slots: the run's wall time per trial per slot, and the part of it a trial itself took.
          msPerTrialPerSlot: (noop.seconds * 1000 * 2) / NOOP_TRIALS,
          msTrialWallMean: busyMs / NOOP_TRIALS,
          cpuMsPerTrial: noop.cpuMs!.all / NOOP_TRIALS,
        };
      };
      const line = (what: string, r: Awaited<ReturnType<typeof noopScript>>) =>
        `${NOOP_TRIALS} no-op script-mode trials on the cluster${what}: ${r.wallSeconds.toFixed(1)} s, ${r.msPerTrialPerSlot.toFixed(0)} ms per trial per slot, ${r.cpuMsPerTrial.toFixed(0)} ms CPU per trial (all processes of the cluster)`;
      if (BASELINE_CLI) {
        const base = await noopScript(BASELINE_CLI);
        results.noopScriptModeBaseline = { cli: BASELINE_CLI, ...base };
        summary.push(line(` (baseline ${BASELINE_CLI})`, base));
      }
      const r = await noopScript(cli);
      results.noopScriptMode = r;
      summary.push(line('', r));
    }
    if (PARTS.has('objective')) {
      const noopObjective = async (cliPath: string) => {
        const run = await tune(
          [join(ws, 'tuning', 'noopobj.tune.json'), '--ray', cluster.address],
          ws,
          cluster,
          cliPath,
        );
        const trials = readRun(ws, run.summary.runId).trials;
        // From the first trial's start to the last one's end: the actors' start-up (imports, worker) apart.
        const span = Math.max(...trials.map((t) => t.endedAt)) - Math.min(...trials.map((t) => t.startedAt));
        return {
          trials: NOOP_OBJECTIVE_TRIALS,
          done: trials.filter((t) => t.status === 'done').length,
          wallSeconds: run.seconds,
          msPerTrialPerSlot: (span * 2) / NOOP_OBJECTIVE_TRIALS,
          msPerTrialWholeRun: (run.seconds * 1000) / NOOP_OBJECTIVE_TRIALS,
          // CPU time of every process of the cluster's namespace (CLI, driver, raylets, GCS, actors) per trial.
          cpuMsPerTrial: run.cpuMs!.all / NOOP_OBJECTIVE_TRIALS,
          cpuMsPerTrialBy: Object.fromEntries(
            Object.entries(run.cpuMs!).map(([kind, ms]) => [kind, ms / NOOP_OBJECTIVE_TRIALS]),
          ),
        };
      };
      const line = (what: string, r: Awaited<ReturnType<typeof noopObjective>>) =>
        `${NOOP_OBJECTIVE_TRIALS} no-op objective-mode trials on the cluster${what}: ${r.wallSeconds.toFixed(1)} s in all, ${r.msPerTrialPerSlot.toFixed(1)} ms per trial per slot (first start to last end; target <= 20 ms), ${r.cpuMsPerTrial.toFixed(1)} ms CPU per trial (${Object.entries(
          r.cpuMsPerTrialBy,
        )
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ')})`;
      if (BASELINE_CLI) {
        const base = await noopObjective(BASELINE_CLI);
        results.noopObjectiveModeBaseline = { cli: BASELINE_CLI, ...base };
        summary.push(line(` (baseline ${BASELINE_CLI})`, base));
      }
      const r = await noopObjective(cli);
      results.noopObjectiveMode = r;
      summary.push(line('', r));
    }
    writeResult(PARTS.size === 3 ? 'ray' : `ray-${[...PARTS].join('-')}`, results, summary);
  } finally {
    cluster.teardown();
    rmSync(ws, { recursive: true, force: true });
  }
}

void main();
