// While a dataset file is the active editor, the status bar shows what pandas would hold for it.
import * as vscode from 'vscode';
import { formatBytes, formatCount, formatUncertainty } from '../core/format';
import type { FootprintService } from '../footprintService';
import { describeFailure } from './editorActions';
import { isDatasetPath } from './files';

export function registerDatasetStatusBar(context: vscode.ExtensionContext, analyzer: FootprintService): void {
  const item = vscode.window.createStatusBarItem('headroom.datasetFootprint', vscode.StatusBarAlignment.Right, 99);
  item.name = 'Headroom: Dataset Memory';
  let shown: string | undefined;

  const update = async () => {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || uri.scheme !== 'file' || !isDatasetPath(uri.fsPath)) {
      shown = undefined;
      item.hide();
      return;
    }
    const target = uri.fsPath;
    shown = target;
    const name = vscode.workspace.asRelativePath(uri);
    item.command = { command: 'headroom.analyzeDataset', title: 'Analyze Dataset Memory', arguments: [uri] };
    const cached = (await analyzer.cached(uri, 'exact')) ?? (await analyzer.cached(uri, 'quick'));
    if (!cached) {
      item.text = '$(loading~spin) pandas …';
      item.tooltip = `Headroom: measuring what pandas would hold for ${name}`;
      item.show();
    }
    try {
      const analysis = cached ?? (await analyzer.analyzeInBackground(uri));
      if (shown !== target || !analysis) return;
      const r = analysis.result;
      const approx = r.mode === 'quick' ? ` ${formatUncertainty(r.uncertaintyPercent)}` : '';
      item.text = `$(database) ${formatBytes(r.totalBytes)}${approx}`;
      item.tooltip = new vscode.MarkdownString(
        `**${name}** in pandas ${r.model.pandas}: ${formatBytes(r.totalBytes)}${approx} (${formatCount(r.rows)} rows × ${r.columns.length} columns, ${r.mode} scan)\n\nClick for the column-by-column footprint and the downcast plan.`,
      );
      item.backgroundColor = undefined;
    } catch (error) {
      if (shown !== target) return;
      item.text = '$(warning) pandas ?';
      item.tooltip = `${name}: ${describeFailure(error).message}`;
    }
    item.show();
  };

  context.subscriptions.push(
    item,
    vscode.window.onDidChangeActiveTextEditor(() => void update()),
    analyzer.onDidChange((uri) => {
      if (!uri || uri.fsPath === shown) void update();
    }),
  );
  void update();
}
