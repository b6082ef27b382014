/**
 * Tuning engine against scikit-learn's GridSearchCV(n_jobs=-1), measured in the same run:
 * 1. RandomForestClassifier n_estimators [50,100,200] x max_depth [None,10,20], 5-fold CV on a
 *    generated classification dataset: identical best params and scores; wall-time ratio (target
 *    <= 1.0 in objective mode); peak memory (PSS and RSS) of each process tree.
 * 2. 1,000 no-op trials: engine overhead per trial (target <= 5 ms in objective mode).
 * 3. A memory budget that fits only two copies of the data: Headroom stays under it and finishes;
 *    GridSearchCV(n_jobs=-1)'s peak reported against the same budget.
 * GridSearchCV runs with refit=False: the search alone, as Headroom does (no final refit). Wall times
 * are the faster of two rounds run in alternating order, because the machine may be shared.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../src/core/format';
import { readRun, startRun } from '../src/core/tuning';
import { listProcesses, sampleTree } from '../src/core/tuning/processTree';
import { pythons, requirePython } from '../test/support/python';
import { writeResult } from './lib';

const python = requirePython(pythons.test);
const cli = join(__dirname, '..', 'dist', 'cli.js');
const dataDir = join(__dirname, '.data');
const RF_ROWS = Number(process.env.HEADROOM_BENCH_RF_ROWS ?? 1000);
const BIG_ROWS = Number(process.env.HEADROOM_BENCH_BIG_ROWS ?? 100_000);
const BIG_COLS = 256;
const NOOP_TRIALS = 1000;
const RF_ROUNDS = Number(process.env.HEADROOM_BENCH_RF_ROUNDS ?? 2);

const MAKE_DATA = `
import sys, numpy as np
from sklearn.datasets import make_classification
out, rf_rows, big_rows, big_cols = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X, y = make_classification(n_samples=rf_rows, n_features=20, n_informative=10, random_state=0)
np.save(out + '/rf_X.npy', X); np.save(out + '/rf_y.npy', y)
X, y = make_classification(n_samples=big_rows, n_features=big_cols, n_informative=32, random_state=1)
np.save(out + '/big_X.npy', np.ascontiguousarray(X, dtype=np.float64)); np.save(out + '/big_y.npy', y)
`;

const RF_OBJECTIVE = `
import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score
X = np.load(DATA + '/rf_X.npy')
y = np.load(DATA + '/rf_y.npy')

def objective(p):
    model = RandomForestClassifier(random_state=0, n_jobs=1, **p)
    return {'score': cross_val_score(model, X, y, cv=5).mean()}
`;

const BIG_OBJECTIVE = `
import numpy as np
from sklearn.linear_model import SGDClassifier
X = np.load(DATA + '/big_X.npy')
y = np.load(DATA + '/big_y.npy')
split = int(len(X) * 0.75)

def objective(p):
    # Row slices of a C-contiguous array are views: the trial holds one copy of the data.
    model = SGDClassifier(alpha=p['alpha'], max_iter=5, tol=None, random_state=0).fit(X[:split], y[:split])
    return {'score': model.score(X[split:], y[split:])}
`;

const PEER = `
import json, sys, time
import numpy as np
from sklearn.model_selection import GridSearchCV
which, data = sys.argv[1], sys.argv[2]
if which == 'rf':
    from sklearn.ensemble import RandomForestClassifier
    X, y = np.load(data + '/rf_X.npy'), np.load(data + '/rf_y.npy')
    est, grid, cv = RandomForestClassifier(random_state=0), {'n_estimators': [50, 100, 200], 'max_depth': [None, 10, 20]}, 5
else:
    from sklearn.linear_model import SGDClassifier
    X, y = np.load(data + '/big_X.npy'), np.load(data + '/big_y.npy')
    split = int(len(X) * 0.75)
    est, grid = SGDClassifier(max_iter=5, tol=None, random_state=0), {'alpha': ALPHAS}
    cv = [(np.arange(split), np.arange(split, len(X)))]
t = time.time()
gs = GridSearchCV(est, grid, cv=cv, n_jobs=-1, refit=False).fit(X, y)
print(json.dumps({'seconds': time.time() - t, 'best_params': gs.best_params_, 'best_score': gs.best_score_,
                  'scores': [[p, s] for p, s in zip(gs.cv_results_['params'], gs.cv_results_['mean_test_score'].tolist())]}))
`;

const ALPHAS = [1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1];

interface Measured {
  code: number | null;
  stdout: string;
  stderr: string;
  wallSeconds: number;
  peakPssBytes: number;
  peakRssBytes: number;
  /** Peak of the root's child trees only (the trials, without Headroom's own Node process). */
  peakChildrenPssBytes: number;
}

/** Runs a command and samples its whole process tree every 100 ms. */
function measure(cmd: string, args: string[], cwd: string): Promise<Measured> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-4000)));
    const peaks = { pss: 0, rss: 0, children: 0 };
    const timer = setInterval(() => {
      const table = listProcesses();
      const tree = sampleTree(child.pid!, table);
      peaks.pss = Math.max(peaks.pss, tree.pssBytes ?? tree.rssBytes);
      peaks.rss = Math.max(peaks.rss, tree.rssBytes);
      const children = table
        .filter((p) => p.ppid === child.pid)
        .map((p) => sampleTree(p.pid, table))
        .reduce((sum, s) => sum + (s.pssBytes ?? s.rssBytes), 0);
      peaks.children = Math.max(peaks.children, children);
    }, 100);
    child.once('exit', (code) => {
      clearInterval(timer);
      resolve({
        code,
        stdout,
        stderr,
        wallSeconds: (performance.now() - started) / 1000,
        peakPssBytes: peaks.pss,
        peakRssBytes: peaks.rss,
        peakChildrenPssBytes: peaks.children,
      });
    });
  });
}

function lastJson<T>(text: string): T {
  const lines = text.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as T;
}

type Summary = {
  status: string;
  runId: string;
  best: { params: Record<string, unknown>; metrics: Record<string, number> } | null;
};
type PeerResult = {
  seconds: number;
  best_params: Record<string, unknown>;
  best_score: number;
  scores: [Record<string, unknown>, number][];
};

function sameParams(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => (a[k] ?? null) === (b[k] ?? null));
}

async function main(): Promise<void> {
  mkdirSync(dataDir, { recursive: true });
  const tag = `${RF_ROWS}-${BIG_ROWS}x${BIG_COLS}`;
  if (!existsSync(join(dataDir, `ready-${tag}`))) {
    const made = spawnSync(python, ['-c', MAKE_DATA, dataDir, String(RF_ROWS), String(BIG_ROWS), String(BIG_COLS)], {
      stdio: 'inherit',
    });
    if (made.status !== 0) throw new Error('could not generate the datasets');
    writeFileSync(join(dataDir, `ready-${tag}`), '');
  }
  const ws = mkdtempSync(join(tmpdir(), 'headroom-bench-tune-'));
  mkdirSync(join(ws, '.git'));
  const header = `DATA = ${JSON.stringify(dataDir)}\n`;
  writeFileSync(join(ws, 'rf_objective.py'), header + RF_OBJECTIVE);
  writeFileSync(join(ws, 'big_objective.py'), header + BIG_OBJECTIVE);
  writeFileSync(join(ws, 'peer.py'), PEER.replace('ALPHAS', JSON.stringify(ALPHAS)));
  writeFileSync(join(ws, 'noop.py'), 'def objective(p):\n    return 0.0\n');
  writeFileSync(
    join(ws, 'rf.tune.yaml'),
    'objective: rf_objective:objective\nparams:\n  n_estimators: [50, 100, 200]\n  max_depth: [null, 10, 20]\nmetric: score\ncache: false\n',
  );
  const dataBytes = statSync(join(dataDir, 'big_X.npy')).size;
  const budget = 2 * dataBytes;
  writeFileSync(
    join(ws, 'big.tune.yaml'),
    `objective: big_objective:objective\ndata: ${join(dataDir, 'big_X.npy')}\nparams:\n  alpha: ${JSON.stringify(ALPHAS)}\nmetric: score\ncache: false\nresources:\n  memoryBudget: ${budget}\n`,
  );
  spawnSync(python, ['-c', 'import sklearn.ensemble, sklearn.linear_model, sklearn.model_selection']);

  const loadBefore = loadavg()[0];
  // 1. RandomForest grid, two rounds in alternating order (peer, ours, ours, peer); the faster of each counts.
  const rounds: { peer: Measured; ours: Measured }[] = [];
  for (let round = 0; round < RF_ROUNDS; round++) {
    const runPeer = () => measure(python, ['peer.py', 'rf', dataDir], ws);
    const runOurs = () => measure(process.execPath, [cli, 'tune', 'rf.tune.yaml', '--json', '--python', python], ws);
    const [a, b] = round % 2 === 0 ? [await runPeer(), await runOurs()] : [await runOurs(), await runPeer()].reverse();
    if (a.code !== 0) throw new Error(`GridSearchCV failed: ${a.stderr}`);
    if (b.code !== 0) throw new Error(`headroom tune failed: ${b.stderr}`);
    rounds.push({ peer: a, ours: b });
  }
  const fastest = (pick: (r: (typeof rounds)[number]) => Measured) =>
    rounds.map(pick).sort((x, y) => x.wallSeconds - y.wallSeconds)[0];
  const peerRf = fastest((r) => r.peer);
  const ours = fastest((r) => r.ours);
  const peer = lastJson<PeerResult>(peerRf.stdout);
  const summary = lastJson<Summary>(ours.stdout);
  const trials = readRun(ws, summary.runId).trials;
  const scoreDiffs = peer.scores.map(([params, score]) => {
    const t = trials.find((r) => sameParams(r.params, params));
    return t?.value === undefined || t.value === null ? Infinity : Math.abs(t.value - score);
  });
  const rf = {
    rows: RF_ROWS,
    identicalBestParams: !!summary.best && sameParams(summary.best.params, peer.best_params),
    bestParams: { headroom: summary.best?.params, gridSearchCV: peer.best_params },
    bestScore: { headroom: summary.best?.metrics.score, gridSearchCV: peer.best_score },
    maxScoreDifference: Math.max(...scoreDiffs),
    wallSeconds: { headroom: ours.wallSeconds, gridSearchCV: peerRf.wallSeconds, gridSearchCVFitOnly: peer.seconds },
    wallRatio: ours.wallSeconds / peerRf.wallSeconds,
    roundsWallSeconds: rounds.map((r) => ({ headroom: r.ours.wallSeconds, gridSearchCV: r.peer.wallSeconds })),
    peakPssBytes: { headroom: ours.peakPssBytes, gridSearchCV: peerRf.peakPssBytes },
    peakRssBytes: { headroom: ours.peakRssBytes, gridSearchCV: peerRf.peakRssBytes },
  };

  // 2. 1,000 no-op trials in objective mode, in process: engine overhead per trial.
  const noop = async (workers: number) => {
    const file = join(ws, `noop${workers}.tune.json`);
    writeFileSync(
      file,
      JSON.stringify({
        objective: 'noop:objective',
        params: { i: Array.from({ length: NOOP_TRIALS }, (_, i) => i) },
        metric: 'score',
        cache: false,
        resources: { workers },
      }),
    );
    const handle = await startRun(file, { python: { setting: python } });
    let firstStart = 0;
    handle.onEvent((e) => {
      if (e.type === 'trialStarted' && !firstStart) firstStart = performance.now();
    });
    const started = performance.now();
    const s = await handle.done;
    const ended = performance.now();
    return {
      workers,
      trials: NOOP_TRIALS,
      done: s.counts.done ?? 0,
      totalSeconds: (ended - started) / 1000,
      msPerTrial: (ended - firstStart) / NOOP_TRIALS,
    };
  };
  const noop1 = await noop(1);
  const noop2 = await noop(2);

  // 3. Memory budget of two copies of the data.
  const peerBig = await measure(python, ['peer.py', 'big', dataDir], ws);
  const oursBig = await measure(process.execPath, [cli, 'tune', 'big.tune.yaml', '--json', '--python', python], ws);
  const bigSummary = lastJson<Summary & { counts: Record<string, number> }>(oursBig.stdout);
  const peerBigResult = peerBig.code === 0 ? lastJson<PeerResult>(peerBig.stdout) : null;
  const big = {
    dataBytes,
    budgetBytes: budget,
    headroom: {
      finished: bigSummary.status === 'done' && bigSummary.counts.done === ALPHAS.length,
      trialsPeakPssBytes: oursBig.peakChildrenPssBytes,
      treePeakPssBytes: oursBig.peakPssBytes,
      underBudget: oursBig.peakChildrenPssBytes <= budget,
      wallSeconds: oursBig.wallSeconds,
      bestParams: bigSummary.best?.params,
    },
    gridSearchCV: {
      exitCode: peerBig.code,
      treePeakPssBytes: peerBig.peakPssBytes,
      treePeakRssBytes: peerBig.peakRssBytes,
      overBudgetBy: peerBig.peakPssBytes / budget,
      wallSeconds: peerBig.wallSeconds,
      bestParams: peerBigResult?.best_params,
    },
  };
  rmSync(ws, { recursive: true, force: true });

  const f = (n: number) => formatBytes(n);
  const load = { before: loadBefore, after: loadavg()[0] };
  writeResult('tuning', { rf, noop: [noop1, noop2], budget: big, loadAverage1m: load }, [
    `Machine load average (1 min) ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after: wall times are noisy above the core count`,
    `RF grid (${RF_ROWS} rows, 9 candidates x 5-fold): best params ${rf.identicalBestParams ? 'identical' : 'DIFFER'} ${JSON.stringify(rf.bestParams.headroom)}, max score difference ${rf.maxScoreDifference}`,
    `  wall: Headroom objective mode ${ours.wallSeconds.toFixed(1)} s vs GridSearchCV(n_jobs=-1) ${peerRf.wallSeconds.toFixed(1)} s: ratio ${rf.wallRatio.toFixed(2)} (target <= 1.0)`,
    `  peak memory (PSS of the process tree): Headroom ${f(ours.peakPssBytes)} vs GridSearchCV ${f(peerRf.peakPssBytes)} (RSS ${f(ours.peakRssBytes)} vs ${f(peerRf.peakRssBytes)})`,
    `No-op trials, objective mode: ${noop1.msPerTrial.toFixed(2)} ms per trial with 1 worker, ${noop2.msPerTrial.toFixed(2)} ms with 2 (target <= 5 ms)`,
    `Budget of two copies of the data (${f(budget)}): Headroom trials peaked at ${f(big.headroom.trialsPeakPssBytes)} (${big.headroom.underBudget ? 'under' : 'OVER'} budget), ${big.headroom.finished ? 'finished all' : 'did NOT finish'} ${ALPHAS.length} trials in ${oursBig.wallSeconds.toFixed(1)} s`,
    `  GridSearchCV(n_jobs=-1) peaked at ${f(peerBig.peakPssBytes)} PSS / ${f(peerBig.peakRssBytes)} RSS: ${(big.gridSearchCV.overBudgetBy * 100).toFixed(0)}% of the same budget, in ${peerBig.wallSeconds.toFixed(1)} s`,
  ]);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
