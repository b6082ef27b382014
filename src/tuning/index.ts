/**
 * Tuning in VS Code: commands, the Runs view, run panels, spec editing support, the status bar item
 * of a running search and the end-of-run notification. The engine itself loads on the first run.
 */
import * as vscode from 'vscode';
import type { HeadroomContext } from '../headroomContext';
import { registerTuningCommands } from './commands';
import { createEngineRunSource } from './engineAdapter';
import { RunManager } from './runManager';
import { RunPanels } from './runPanel';
import { registerRunStatus } from './runStatus';
import { registerClusterStatus } from './clusterStatus';
import { RunsTreeProvider } from './runsTree';
import { registerSpecEditing } from './specEditing';
import { registerSpecLanguage } from './specLanguage';
import { watchTrust } from './trust';
import { forEachWorkspaceFolder } from '../workspaceFolders';

export function registerTuning(headroom: HeadroomContext): void {
  const { context, log } = headroom;
  const folders = () =>
    (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const runs = new RunManager(
    createEngineRunSource({
      analyzeDataFile: (path, options) => headroom.footprints.analyzeWith(path, options),
      probePython: (pythonPath) => headroom.python.probe(pythonPath),
    }),
    folders,
    log,
  );
  const panels = new RunPanels(headroom, runs);
  const tree = new RunsTreeProvider(runs);
  const view = vscode.window.createTreeView('headroom.runs', { treeDataProvider: tree, showCollapseAll: true });

  // Runs written by another process (the CLI, another window) show up without a manual refresh; in
  // every workspace folder, those added after activation included.
  const watchers = forEachWorkspaceFolder(vscode.workspace, (folder) => {
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(folder, '.headroom/runs/*/run.json'),
    );
    let timer: NodeJS.Timeout | undefined;
    const later = () => (timer ??= setTimeout(() => ((timer = undefined), runs.refresh()), 500));
    watcher.onDidCreate(later);
    watcher.onDidDelete(later);
    watcher.onDidChange((uri) => {
      // This window's own live runs change run.json too; their models are current already.
      const runId = uri.path.split('/').at(-2);
      if (!runId || !runs.isLive(runId)) later();
    });
    return { dispose: () => (clearTimeout(timer), watcher.dispose()) };
  });

  context.subscriptions.push(
    tree,
    view,
    panels,
    watchers,
    vscode.workspace.onDidChangeWorkspaceFolders(() => runs.refresh()),
  );
  const lenses = registerSpecEditing(headroom, runs);
  registerSpecLanguage(headroom.context);
  watchTrust(context, () => {
    lenses.refreshLenses();
    panels.postTrust();
  });
  registerTuningCommands(headroom, runs, panels);
  registerRunStatus(headroom, runs);
  registerClusterStatus(headroom, runs);
  context.subscriptions.push(runs);
  current = runs;
}

let current: RunManager | undefined;

/** For deactivate(): stops every live run and resolves when their trial processes are gone. */
export async function stopAllTuningRuns(): Promise<void> {
  await current?.stopAll();
}
