/**
 * The "headroom" joblib backend with real scikit-learn: same scores as joblib's default backend, a
 * memory budget kept where the default exceeds it, a segfaulting task reported as the search's error,
 * Ctrl+C stopping the workers, and the search recorded as a run the Runs view reads (src/core/tuning's
 * own reader parses it here).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listRuns, readRun } from '../../../src/core/tuning';
import { pythons, repoRoot, requirePython } from '../../support/python';

const python = requirePython(pythons.test);
const here = __dirname;
const env = { ...process.env, PYTHONPATH: join(repoRoot, 'python'), HEADROOM_WORKSPACE: '' };
const made: string[] = [];
after(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(marker?: '.vscode' | '.headroom'): string {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-joblib-'));
  made.push(dir);
  if (marker) mkdirSync(join(dir, marker));
  return dir;
}

function runFixture(args: string[], timeoutMs: number, extraEnv: Record<string, string> = {}, cwd = here) {
  const out = spawnSync(python, args, { cwd, encoding: 'utf8', timeout: timeoutMs, env: { ...env, ...extraEnv } });
  return { ...out, json: () => JSON.parse(out.stdout.trim().split('\n').pop()!) as Record<string, unknown> };
}

/** Running (or stopped): not gone and not a zombie (an exited child that init has yet to reap, on its own schedule). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ').pop()![0] !== 'Z';
  } catch {
    return existsSync(`/proc/${pid}`) || process.platform !== 'linux';
  }
};

async function noneAlive(pids: number[], withinMs: number): Promise<number[]> {
  const until = Date.now() + withinMs;
  let left = pids.filter(alive);
  while (left.length && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    left = left.filter(alive);
  }
  return left;
}

const pidsIn = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map(Number) : [];

describe('headroom joblib backend with scikit-learn', { concurrency: 1 }, () => {
  it("the seeds' RandomForest grid (3 x 3, cv=5): exactly the default backend's cv_results_, recorded as a run", () => {
    const ws = tempDir('.vscode');
    const out = runFixture([join(here, 'rf_grid.py'), ws], 1_200_000);
    assert.equal(out.status, 0, out.stderr);
    const r = out.json() as {
      default: { best_params: unknown; params: unknown[]; scores: Record<string, number[]> };
      headroom: { best_params: unknown; params: unknown[]; scores: Record<string, number[]> };
      runDir: string;
      decisions: string[];
    };
    assert.deepEqual(r.headroom.best_params, r.default.best_params);
    assert.deepEqual(r.headroom.params, r.default.params);
    assert.equal(Object.keys(r.default.scores).length, 6, 'split0..4 and mean');
    assert.deepEqual(r.headroom.scores, r.default.scores, 'scores identical to the last bit');

    const [summary] = listRuns(ws);
    assert.ok(summary, 'the run is in the workspace');
    assert.match(summary.name, /^rf_grid\.py · Pipeline\(RandomForestClassifier\)$/);
    assert.equal(summary.status, 'done');
    assert.equal(summary.total, 45);
    assert.equal(summary.metric, 'roc_auc');
    // Its best is the search's: best_params_, with the best mean test score over the folds.
    const { fold: _f, ...bestParams } = summary.best!.params;
    assert.deepEqual(bestParams, r.default.best_params);
    assert.ok(Math.abs(summary.best!.value - Math.max(...r.default.scores.mean_test_score)) < 1e-12);
    const run = readRun(ws, summary.runId);
    assert.equal(run.trials.length, 45, 'one record per (candidate, fold)');
    for (const t of run.trials) {
      const m = /^c(\d{3})-f(\d)$/.exec(t.trialId);
      assert.ok(m, t.trialId);
      const [candidate, fold] = [Number(m[1]), Number(m[2])];
      assert.equal(t.status, 'done');
      assert.equal(t.params.fold, fold);
      const { fold: _fold, ...params } = t.params;
      assert.deepEqual(params, r.default.params[candidate]);
      assert.equal(t.value, r.default.scores[`split${fold}_test_score`][candidate], `${t.trialId}'s score`);
      assert.ok(t.wallMs > 0 && (t.peakRssBytes ?? NaN) > 50 * 2 ** 20, `${t.trialId}: duration and peak measured`);
    }
    assert.ok(run.timeline.decisions.length >= 1);
    assert.match(run.timeline.decisions[0].reason, /^2 of 2 slots: CPU-bound, 2 cores, 1 thread per task/);
    assert.deepEqual(r.decisions[0], run.timeline.decisions[0].reason);
  });

  it('under a budget fitting two copies of the data: the default exceeds it, headroom stays under and finishes', () => {
    // 600,000 x 256 float32 (614 MB). One fit holds its fold's copies (one copy of the data) and reads the
    // memory-mapped data (another); 256 MiB on top are for the worker's interpreter.
    const [rows, cols] = [600_000, 256];
    const dataBytes = rows * cols * 4 + rows * 4;
    const budget = 2 * dataBytes + 256 * 2 ** 20;
    const measure = (mode: string) => {
      const out = runFixture(
        [join(here, 'budget_search.py'), mode, String(rows), String(cols), String(budget)],
        900_000,
      );
      assert.equal(out.status, 0, out.stderr);
      return out.json() as {
        dataBytes: number;
        beforePss: number;
        peakPss: number;
        scores: number[];
        decisions: string[];
        stated: [number, number, string][];
        endedAt: number;
      };
    };
    const base = measure('default');
    const hr = measure('headroom');
    const [baseAdded, hrAdded] = [base.peakPss - base.beforePss, hr.peakPss - hr.beforePss];
    console.log(
      `budget ${(budget / 2 ** 30).toFixed(2)} GiB: default added ${(baseAdded / 2 ** 30).toFixed(2)} GiB, headroom ${(hrAdded / 2 ** 30).toFixed(2)} GiB; ${hr.decisions.join(' | ')}`,
    );
    assert.equal(hr.dataBytes, dataBytes);
    assert.ok(baseAdded > budget, `the default backend exceeds the budget (${baseAdded} <= ${budget})`);
    assert.ok(hrAdded <= budget, `headroom stays under the budget (${hrAdded} > ${budget})`);
    assert.deepEqual(hr.scores, base.scores);
    assert.ok(
      hr.decisions.some((d) => /budget-bound/.test(d)),
      hr.decisions.join('\n'),
    );
    // Stable: each stated limit held at least a second (no budget/CPU flip at every finished task).
    const spans = hr.stated.map(([at], i) => (hr.stated[i + 1]?.[0] ?? hr.endedAt) - at);
    assert.ok(
      spans.slice(0, -1).every((ms) => ms >= 1000),
      hr.stated.map(([, n, bound], i) => `${n} ${bound} for ${spans[i]} ms`).join('\n'),
    );
  });

  it('a task that segfaults fails the search with TerminatedWorkerError, no process left behind', async () => {
    const ws = tempDir('.headroom');
    const pids = join(ws, 'pids');
    const out = runFixture([join(here, 'crash_search.py'), 'segfault', ws, pids], 300_000);
    assert.equal(out.status, 3, out.stderr);
    const r = out.json();
    assert.equal(r.error, 'TerminatedWorkerError');
    assert.match(String(r.message), /SIGSEGV/);
    assert.ok(pidsIn(pids).length >= 2, 'workers were seen');
    assert.deepEqual(await noneAlive(pidsIn(pids), 10_000), []);
    const [summary] = listRuns(ws);
    assert.equal(summary.status, 'failed');
    const failed = readRun(ws, summary.runId).trials.filter((t) => t.status === 'failed');
    assert.ok(failed.length >= 1 && failed.every((t) => t.params.crash === true), 'the crashing candidate failed');
    assert.match(failed[0].error ?? '', /TerminatedWorkerError/);
  });

  it('Ctrl+C (SIGINT) stops the search and its workers; the run is marked stopped', async () => {
    const ws = tempDir('.headroom');
    const pids = join(ws, 'pids');
    const child = spawn(python, [join(here, 'crash_search.py'), 'sleep', ws, pids], { cwd: here, env });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const until = Date.now() + 240_000;
    while (!stdout.includes('running') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    assert.ok(stdout.includes('running'), 'the workers started');
    const workers = pidsIn(pids);
    assert.ok(workers.length >= 2);
    child.kill('SIGINT');
    assert.equal(await exited, 3);
    assert.match(stdout, /"error": "KeyboardInterrupt"/);
    assert.deepEqual(await noneAlive(workers, 10_000), []);
    assert.equal(listRuns(ws)[0].status, 'stopped');
  });

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    it(`the parent killed with ${signal} mid-task: no worker (or other child) outlives it by more than 5 s`, async () => {
      const ws = tempDir('.headroom');
      const pids = join(ws, 'pids');
      // Each fit sleeps 60 s: a loky worker left to itself would run on for a minute.
      const child = spawn(python, [join(here, 'crash_search.py'), 'sleep', ws, pids], { cwd: here, env });
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
      const until = Date.now() + 240_000;
      while (!stdout.includes('running') && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      assert.ok(stdout.includes('running'), 'the workers started');
      await new Promise((r) => setTimeout(r, 300));
      const seen = pidsIn(pids);
      assert.ok(seen.length >= 3, `workers and the reaper were seen: ${seen.join(' ')}`);
      child.kill(signal);
      assert.equal(await exited, signal);
      const killedAt = Date.now();
      assert.deepEqual(await noneAlive(seen, 5_000), [], `children alive ${Date.now() - killedAt} ms after ${signal}`);
      console.log(`${signal}: ${seen.length} children gone within ${Date.now() - killedAt} ms`);
    });
  }

  it('records where HEADROOM_WORKSPACE or a .headroom/.vscode folder says, and nothing elsewhere', () => {
    const code = `
import joblib, headroom_runtime as hr
with hr.parallel():
    print(sum(joblib.Parallel(n_jobs=2)(joblib.delayed(abs)(-i) for i in range(6))))
`;
    const bare = tempDir();
    const plain = runFixture(['-c', code], 120_000, {}, bare);
    assert.equal(plain.status, 0, plain.stderr);
    assert.equal(plain.stdout.trim(), '15');
    assert.deepEqual(readdirSync(bare), [], 'nothing recorded without a workspace');

    const marked = tempDir('.vscode');
    const sub = join(marked, 'src');
    mkdirSync(sub);
    assert.equal(runFixture(['-c', code], 120_000, {}, sub).status, 0);
    const [run] = listRuns(marked);
    assert.equal(run.total, 6);
    assert.equal(run.counts.done, 6);

    const target = tempDir();
    assert.equal(runFixture(['-c', code], 120_000, { HEADROOM_WORKSPACE: target }, bare).status, 0);
    assert.equal(listRuns(target).length, 1);
    assert.deepEqual(readdirSync(bare), []);
  });
});
