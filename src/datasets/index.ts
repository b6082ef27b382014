/**
 * Dataset memory in VS Code: the "Analyze Dataset Memory" command and its panel, the "Datasets"
 * view, and the status bar item for an open dataset file. Nothing is scanned until asked.
 */
import * as vscode from 'vscode';
import type { HeadroomContext } from '../headroomContext';
import { trackLastEditor } from './editorActions';
import { datasetExclude, datasetGlob, isDatasetPath } from './files';
import { DATASET_DIALOG_EXTENSIONS } from '../lazyEngines';
import { DatasetPanel } from './panel';
import { registerDatasetStatusBar } from './statusBar';
import { DatasetsTree } from './tree';

export function registerDatasets(headroom: HeadroomContext): void {
  const { context } = headroom;
  const analyzer = headroom.footprints;
  const tree = new DatasetsTree(analyzer);
  context.subscriptions.push(
    tree,
    trackLastEditor(),
    tree.attach(vscode.window.createTreeView('headroom.datasets', { treeDataProvider: tree })),
    vscode.commands.registerCommand('headroom.refreshDatasets', () => tree.refresh()),
    vscode.commands.registerCommand('headroom.analyzeDataset', async (arg?: unknown) => {
      const uri = await pickDataset(arg);
      if (uri) await DatasetPanel.show(headroom, analyzer, uri).run(false);
    }),
    { dispose: () => DatasetPanel.disposeAll() },
  );
  registerDatasetStatusBar(context, analyzer);
}

/** The file from the explorer / editor title / tree, else the active editor's dataset, else a quick pick. */
async function pickDataset(arg: unknown): Promise<vscode.Uri | undefined> {
  if (arg instanceof vscode.Uri) return arg;
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active?.scheme === 'file' && isDatasetPath(active.fsPath)) return active;
  const files = await vscode.workspace.findFiles(datasetGlob(), datasetExclude(), 2000);
  if (files.length === 0) {
    const chosen = await vscode.window.showOpenDialog({
      canSelectMany: false,
      openLabel: 'Analyze',
      filters: { Datasets: DATASET_DIALOG_EXTENSIONS },
    });
    return chosen?.[0];
  }
  const picked = await vscode.window.showQuickPick(
    files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
    { title: 'Analyze Dataset Memory', placeHolder: 'Which dataset file?', matchOnDescription: true },
  );
  return picked?.uri;
}
