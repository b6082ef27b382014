/**
 * A running search outside its panel: a status bar item (done/total, best so far) next to the
 * resource figures, each running trial's CPU and memory in the Resources view, and a notification
 * with the best result when a run ends.
 */
import * as vscode from 'vscode';
import { tuningNotifyOnFinish, tuningShowStatusBar } from '../config';
import type { HeadroomContext } from '../headroomContext';
import type { TrialUsage } from '../messages/resources';
import {
  bestText,
  describeConcurrency,
  formatParams,
  runEndMessage,
  runStatusText,
  searchStatusText,
} from '../core/runView/reasons';
import type { RunManager } from './runManager';

export function registerRunStatus(headroom: HeadroomContext, runs: RunManager): void {
  const { context } = headroom;
  // Priority above the resources item (100): it sits just left of the CPU/RAM figures.
  const item = vscode.window.createStatusBarItem('headroom.tuning', vscode.StatusBarAlignment.Right, 101);
  item.name = 'Headroom Tuning Run';
  let timer: NodeJS.Timeout | undefined;
  let shownTrials = 0;

  const render = () => {
    timer = undefined;
    const live = runs.liveRuns();
    void vscode.commands.executeCommand('setContext', 'headroom.tuningRunning', live.length > 0);
    if (live.length === 0 || !tuningShowStatusBar()) {
      item.hide();
    } else {
      const { runId, model } = live[live.length - 1];
      const finished = model.finished();
      item.text = searchStatusText(model.header, finished, model.best, live.length);
      const running = model.rows().filter((r) => r.status === 'running').length;
      const decision = model.latestDecision();
      const tooltip = new vscode.MarkdownString(undefined, true);
      tooltip.appendText(`Tuning run "${model.header.name}" — ${runStatusText(model.header.status)}\n\n`);
      tooltip.appendText(`${finished} of ${model.header.total} trials finished, ${running} running\n\n`);
      tooltip.appendText(
        `${bestText(model.header.metric, model.best)}${model.best ? ` (${formatParams(model.best.params)})` : ''}\n\n`,
      );
      if (decision) tooltip.appendText(`${decision.reason || describeConcurrency(decision)}\n\n`);
      tooltip.appendMarkdown('Click to open the run.');
      item.tooltip = tooltip;
      item.command = { command: 'headroom.openRun', title: 'Open Run', arguments: [runId] };
      item.accessibilityInformation = {
        label: `Headroom tuning run ${model.header.name}: ${finished} of ${model.header.total} trials finished, ${bestText(model.header.metric, model.best)}`,
        role: 'button',
      };
      item.show();
    }
    publishTrials();
  };
  const schedule = () => (timer ??= setTimeout(render, 200));

  const publishTrials = () => {
    const trials: TrialUsage[] = [];
    for (const { runId, model } of runs.liveRuns()) {
      for (const row of model.rows()) {
        if (row.status !== 'running') continue;
        const params = formatParams(row.params);
        trials.push({
          runId,
          trialId: row.trialId,
          label: `${model.header.name} ${row.trialId}${params ? ` (${params})` : ''}`,
          cpuPercent: row.cpuPercent ?? 0,
          rssBytes: row.rssBytes ?? 0,
        });
      }
    }
    // Nothing to say twice: an empty list is sent once, when the last trial ends.
    if (trials.length === 0 && shownTrials === 0) return;
    shownTrials = trials.length;
    headroom.resourcesView?.showTrials(trials);
  };

  context.subscriptions.push(
    item,
    runs.onDidChange(schedule),
    runs.onEvent(({ event }) => {
      if (event.type === 'trialUsage' || event.type === 'concurrency') schedule();
    }),
    runs.onDidFinish(({ runId, summary, model }) => {
      schedule();
      if (!tuningNotifyOnFinish()) return;
      const failed = (summary.counts.failed ?? 0) + (summary.counts.timeout ?? 0) + (summary.counts.killed ?? 0);
      const finished = model.finished();
      const message = runEndMessage({ ...model.header, status: summary.status }, finished, summary.best, failed);
      const show =
        summary.status === 'failed' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
      void show(message, 'Open').then((choice) => {
        if (choice === 'Open') void vscode.commands.executeCommand('headroom.openRun', runId);
      });
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('headroom.tuning.showStatusBar')) schedule();
    }),
    { dispose: () => clearTimeout(timer) },
  );
}
