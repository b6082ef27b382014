/**
 * The "Datasets" view: the workspace's dataset files with their footprint (quick mode), computed
 * when an item is first shown and cached by the analyzer; clicking one opens its panel.
 */
import * as vscode from 'vscode';
import { formatBytes, formatUncertainty } from '../core/format';
import type { FootprintService } from '../footprintService';
import { describeFailure } from './editorActions';
import { datasetExclude, datasetGlob } from './files';

type Footprint =
  | { state: 'pending' }
  | { state: 'done'; bytes: number; rows: number; quick: number }
  | { state: 'failed'; message: string };

export class DatasetsTree implements vscode.TreeDataProvider<vscode.Uri>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly footprints = new Map<string, Footprint>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private files?: Promise<vscode.Uri[]>;

  constructor(private readonly analyzer: FootprintService) {
    this.disposables.push(
      analyzer.onDidChange((uri) => {
        if (uri) this.footprints.delete(uri.fsPath);
        else this.footprints.clear();
        this.changed.fire(uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('headroom.datasets') && this.refresh()),
    );
    const watcher = vscode.workspace.createFileSystemWatcher(datasetGlob());
    this.disposables.push(
      watcher,
      watcher.onDidCreate(() => this.refresh()),
      watcher.onDidDelete(() => this.refresh()),
      watcher.onDidChange((uri) => {
        this.footprints.delete(uri.fsPath);
        this.changed.fire(uri);
      }),
    );
  }

  refresh(): void {
    this.files = undefined;
    this.footprints.clear();
    this.changed.fire(undefined);
  }

  async getChildren(element?: vscode.Uri): Promise<vscode.Uri[]> {
    if (element || !vscode.workspace.workspaceFolders) return [];
    this.files ??= Promise.resolve(vscode.workspace.findFiles(datasetGlob(), datasetExclude(), 2000)).then((uris) =>
      uris.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b))),
    );
    return this.files;
  }

  getParent(): undefined {
    return undefined;
  }

  getTreeItem(uri: vscode.Uri): vscode.TreeItem {
    const item = new vscode.TreeItem(uri, vscode.TreeItemCollapsibleState.None);
    item.id = uri.toString();
    item.label = uri.path.split('/').pop();
    const folder = vscode.workspace.asRelativePath(vscode.Uri.joinPath(uri, '..'), false);
    item.command = { command: 'headroom.analyzeDataset', title: 'Analyze Dataset Memory', arguments: [uri] };
    item.contextValue = 'headroomDataset';
    const footprint = this.footprints.get(uri.fsPath);
    if (!footprint) {
      this.footprints.set(uri.fsPath, { state: 'pending' });
      void this.compute(uri);
    }
    const f = footprint ?? { state: 'pending' };
    const where = folder && folder !== vscode.workspace.asRelativePath(uri, false) ? ` · ${folder}` : '';
    if (f.state === 'pending') {
      item.description = `…${where}`;
      item.iconPath = new vscode.ThemeIcon('loading~spin');
    } else if (f.state === 'failed') {
      item.description = `unreadable${where}`;
      item.tooltip = f.message;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    } else {
      const approx = f.quick > 0 ? ` ${formatUncertainty(f.quick)}` : '';
      item.description = `${formatBytes(f.bytes)}${approx}${where}`;
      item.tooltip = `${vscode.workspace.asRelativePath(uri)}\n${f.rows.toLocaleString('en-US')} rows, ${formatBytes(f.bytes)}${approx} in pandas\nClick for the column-by-column footprint and the downcast plan.`;
      item.iconPath = new vscode.ThemeIcon('database');
    }
    return item;
  }

  private async compute(uri: vscode.Uri): Promise<void> {
    try {
      const analysis = await this.analyzer.analyzeInBackground(uri);
      if (!analysis) {
        this.footprints.delete(uri.fsPath);
        return;
      }
      const r = analysis.result;
      this.footprints.set(uri.fsPath, {
        state: 'done',
        bytes: r.totalBytes,
        rows: r.rows,
        quick: r.mode === 'quick' ? r.uncertaintyPercent : 0,
      });
    } catch (error) {
      this.footprints.set(uri.fsPath, { state: 'failed', message: describeFailure(error).message });
    }
    this.changed.fire(uri);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
