/**
 * The "headroom" joblib backend against joblib's default backend, same run, same machine:
 * 1. The seeds' RandomForest grid (n_estimators [50,100,200] x max_depth [None,10,20], cv=5 on
 *    demo/data/customers.csv), GridSearchCV(n_jobs=-1): wall-time ratio headroom / default (target
 *    <= 1.05 with plenty of memory) and identical scores. Each mode runs in a fresh process (workers
 *    started inside the measured fit, as for a user's script); the faster of the rounds, run in
 *    alternating order, because the machine may be shared.
 * 2. A budget fitting two copies of the data (test/integration/joblib/budget_search.py, 600,000 x 256
 *    float32): the peak PSS each process tree adds over its pre-fit baseline, against the budget.
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { formatBytes } from '../src/core/format';
import { pythons, repoRoot, requirePython } from '../test/support/python';
import { writeResult } from './lib';

const python = requirePython(pythons.test);
const ROUNDS = Number(process.env.HEADROOM_BENCH_JOBLIB_ROUNDS ?? 2);
const ROWS = Number(process.env.HEADROOM_BENCH_JOBLIB_ROWS ?? 600_000);
const COLS = 256;
const env = { ...process.env, PYTHONPATH: join(repoRoot, 'python') };

function py(args: string[]): Record<string, unknown> {
  const out = spawnSync(python, args, { encoding: 'utf8', env, timeout: 1_800_000, maxBuffer: 16 * 2 ** 20 });
  if (out.status !== 0) throw new Error(`${args.join(' ')} failed (${out.status ?? out.signal}):\n${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

type Rf = { wallSeconds: number; bestParams: unknown; scores: number[] };
const walls: Record<'default' | 'headroom', number[]> = { default: [], headroom: [] };
let last: Record<string, Rf> = {};
const loads: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? (['default', 'headroom'] as const) : (['headroom', 'default'] as const);
  for (const mode of order) {
    loads.push(loadavg()[0]);
    const r = py([join(__dirname, 'joblib_rf.py'), mode]) as Rf;
    walls[mode].push(r.wallSeconds);
    last = { ...last, [mode]: r };
    console.log(`round ${round + 1} ${mode}: ${r.wallSeconds.toFixed(2)} s`);
  }
}
const best = (xs: number[]) => Math.min(...xs);
const ratio = best(walls.headroom) / best(walls.default);
const identical =
  JSON.stringify(last.default.scores) === JSON.stringify(last.headroom.scores) &&
  JSON.stringify(last.default.bestParams) === JSON.stringify(last.headroom.bestParams);

const dataBytes = ROWS * COLS * 4 + ROWS * 4;
const budget = 2 * dataBytes + 256 * 2 ** 20;
type Budget = { beforePss: number; peakPss: number; wallSeconds: number; scores: number[]; decisions: string[] };
const budgetRuns: Record<string, Budget> = {};
for (const mode of ['default', 'headroom']) {
  budgetRuns[mode] = py([
    join(repoRoot, 'test', 'integration', 'joblib', 'budget_search.py'),
    mode,
    String(ROWS),
    String(COLS),
    String(budget),
  ]) as unknown as Budget;
}
const added = (m: string) => budgetRuns[m].peakPss - budgetRuns[m].beforePss;

writeResult(
  'joblib',
  {
    rf: {
      rounds: ROUNDS,
      wallSeconds: walls,
      ratio,
      target: 1.05,
      identicalScores: identical,
      bestParams: last.headroom.bestParams,
      loadAverage1m: loads,
    },
    budget: {
      rows: ROWS,
      cols: COLS,
      dataBytes,
      budgetBytes: budget,
      addedPssBytes: { default: added('default'), headroom: added('headroom') },
      wallSeconds: { default: budgetRuns.default.wallSeconds, headroom: budgetRuns.headroom.wallSeconds },
      identicalScores: JSON.stringify(budgetRuns.default.scores) === JSON.stringify(budgetRuns.headroom.scores),
      decisions: budgetRuns.headroom.decisions,
    },
  },
  [
    `RandomForest grid 3x3 cv=5: headroom ${best(walls.headroom).toFixed(2)} s vs joblib default ${best(walls.default).toFixed(2)} s, ratio ${ratio.toFixed(3)} (target <= 1.05), scores identical: ${identical}; 1-min load ${loads.map((l) => l.toFixed(1)).join(', ')}`,
    `Budget ${formatBytes(budget)} (two copies of ${formatBytes(dataBytes)} + 256 MiB): default adds ${formatBytes(added('default'))}, headroom ${formatBytes(added('headroom'))} (${budgetRuns.headroom.wallSeconds.toFixed(1)} s vs ${budgetRuns.default.wallSeconds.toFixed(1)} s)`,
  ],
);
