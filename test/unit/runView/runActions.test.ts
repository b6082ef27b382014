/**
 * A run offers only the actions that work for its kind: the Runs view's context menus (package.json's
 * `when` clauses, evaluated here against the nodes' context values) and the run panel's buttons
 * (runActions). A joblib search, recorded by headroom_runtime in the user's own process, has no
 * resume, no logs, and is not stopped from VS Code.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runActions } from '../../../src/core/runView/runActions';
import { RunModel } from '../../../src/core/runView/runModel';
import { headerOf, runNode, trialNodes } from '../../../src/core/runView/runTree';
import { listRuns, resumeRun } from '../../../src/core/tuning';
import type { RunStatus } from '../../../src/core/tuning/runFiles';
import { repoRoot } from '../../support/python';
import { header, record } from './fixtures';

interface MenuEntry {
  command: string;
  when: string;
}
const menus = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    contributes: { menus: { 'view/item/context': MenuEntry[] } };
  }
).contributes.menus['view/item/context'];

/** Evaluates the `view == …`, `viewItem == …` and `viewItem =~ /…/` terms these clauses use. */
function holds(when: string, viewItem: string): boolean {
  return when.split('||').some((clause) =>
    clause.split('&&').every((term) => {
      const t = term.trim();
      let m = /^view == (\S+)$/.exec(t);
      if (m) return m[1] === 'headroom.runs';
      m = /^viewItem == (\S+)$/.exec(t);
      if (m) return m[1] === viewItem;
      m = /^viewItem =~ \/(.*)\/$/.exec(t);
      if (m) return new RegExp(m[1]).test(viewItem);
      throw new Error(`unknown term in a when clause: ${t}`);
    }),
  );
}
const offered = (viewItem: string) =>
  [...new Set(menus.filter((m) => holds(m.when, viewItem)).map((m) => m.command.replace('headroom.', '')))].sort();

const STATUSES: RunStatus[] = ['running', 'done', 'stopped', 'failed', 'interrupted'];

describe('actions by kind of run', () => {
  it("a joblib search's Runs view menus: open, copy, delete; never resume, logs or stop", () => {
    for (const status of STATUSES) {
      const node = runNode(header({ status, source: 'joblib' }), {}, null);
      const finished = status !== 'running';
      assert.deepEqual(
        offered(node.contextValue),
        ['copyBestParams', ...(finished ? ['deleteRun'] : []), 'openRun'],
        status,
      );
    }
  });

  it("a tuning run's menus are as before: stop while running, resume when stopped, its log", () => {
    const expected: Record<RunStatus, string[]> = {
      running: ['copyBestParams', 'openRun', 'revealRunLog', 'stopRun'],
      done: ['copyBestParams', 'deleteRun', 'openRun', 'revealRunLog'],
      stopped: ['copyBestParams', 'deleteRun', 'openRun', 'resumeRun', 'revealRunLog'],
      failed: ['copyBestParams', 'deleteRun', 'openRun', 'resumeRun', 'revealRunLog'],
      interrupted: ['copyBestParams', 'deleteRun', 'openRun', 'resumeRun', 'revealRunLog'],
    };
    for (const status of STATUSES) {
      assert.deepEqual(offered(runNode(header({ status }), {}, null).contextValue), expected[status], status);
    }
  });

  it("trials: a joblib search's running task cannot be stopped or its log opened; a tuning trial's can", () => {
    const rows = (source?: 'joblib') => {
      const model = new RunModel(header({ source }));
      model.loadRecords([
        record('c000-f0', { status: 'running', logFile: source ? '' : 'logs/c000-f0.log' }),
        record('c000-f1', { logFile: source ? '' : 'logs/c000-f1.log' }),
      ]);
      return trialNodes('run-1', model.rows(), null, 'accuracy', model.header).map((n) => offered(n.contextValue));
    };
    assert.deepEqual(rows('joblib'), [[], []]);
    assert.deepEqual(rows(), [['revealRunLog', 'stopTrial'], ['revealRunLog']]);
  });

  it("the run panel's buttons and the source of a run read from its files", async () => {
    const ws = mkdtempSync(join(tmpdir(), 'headroom-actions-'));
    try {
      const dir = join(ws, '.headroom', 'runs', 'r1');
      mkdirSync(dir, { recursive: true });
      const meta = { runId: 'r1', name: 'train.py · Ridge', specPath: join(ws, 'train.py'), status: 'running' };
      writeFileSync(
        join(dir, 'run.json'),
        JSON.stringify({ ...meta, startedAt: 1, endedAt: null, total: 2, owner: null, source: 'joblib' }),
      );
      writeFileSync(join(dir, 'spec.json'), JSON.stringify({ metric: 'score', mode: 'max', search: 'grid' }));
      const [summary] = listRuns(ws);
      assert.equal(summary.source, 'joblib');
      assert.equal(summary.status, 'interrupted', 'its process is gone');
      const joblib = runActions(headerOf(summary));
      assert.deepEqual(
        { ...joblib, note: joblib.note !== '' },
        { stop: false, resume: false, logs: false, stopTrial: false, openSource: 'Open script', note: true },
      );
      // Nor does the engine (the CLI's --resume) take it for a tuning run.
      await assert.rejects(resumeRun(ws, 'r1'), /is a joblib search recorded by headroom_runtime/);
      assert.deepEqual(runActions(headerOf({ ...summary, source: undefined })), {
        stop: true,
        resume: true,
        logs: true,
        stopTrial: true,
        openSource: 'Open spec',
        note: '',
      });
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
  });
});
