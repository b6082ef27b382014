/**
 * The "Datasets" view: the workspace's dataset files with their footprint (quick mode), computed
 * when an item is first shown and cached by the analyzer; clicking one opens its panel.
 */
import * as vscode from 'vscode';
import { formatBytes, formatCount, formatUncertainty } from '../core/format';
import type { FootprintService } from '../footprintService';
import { describeFailure } from './editorActions';
import { datasetExclude, datasetGlob } from './files';
import { FIND_FILES_TIMEOUT_MS, SLOW_FOOTPRINT_MS, STALLED_FOOTPRINT_MS, waitingRow } from './waiting';

type Footprint =
  | { state: 'pending'; since: number }
  | { state: 'done'; bytes: number; rows: number; quick: number }
  | { state: 'failed'; message: string };

export class DatasetsTree implements vscode.TreeDataProvider<vscode.Uri>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly footprints = new Map<string, Footprint>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  private files?: Promise<vscode.Uri[]>;
  private view?: vscode.TreeView<vscode.Uri>;
  private readonly timers = new Set<NodeJS.Timeout>();

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

  /** The view this provider feeds: its message says when listing the files is slow. */
  attach(view: vscode.TreeView<vscode.Uri>): vscode.TreeView<vscode.Uri> {
    this.view = view;
    return view;
  }

  refresh(): void {
    this.files = undefined;
    this.footprints.clear();
    this.changed.fire(undefined);
  }

  async getChildren(element?: vscode.Uri): Promise<vscode.Uri[]> {
    if (element || !vscode.workspace.workspaceFolders) return [];
    if (!this.files) {
      const files = Promise.resolve(vscode.workspace.findFiles(datasetGlob(), datasetExclude(), 2000)).then((uris) =>
        uris.sort((a, b) => vscode.workspace.asRelativePath(a).localeCompare(vscode.workspace.asRelativePath(b))),
      );
      this.files = files;
      // A view never waits forever: past the limit it says so, and fills in when the search answers.
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), FIND_FILES_TIMEOUT_MS)));
      const first = await Promise.race([files, late]).finally(() => clearTimeout(timer));
      if (first === 'late') {
        if (this.view)
          this.view.message = `Still looking for dataset files (${FIND_FILES_TIMEOUT_MS / 1000} s so far): VS Code's file search is slow to answer. They appear when it does; Refresh Datasets searches again.`;
        void files.then(
          () => {
            if (this.files !== files) return;
            if (this.view) this.view.message = undefined;
            this.changed.fire(undefined);
          },
          () => undefined,
        );
        return [];
      }
      if (this.view) this.view.message = undefined;
      return first;
    }
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
      this.footprints.set(uri.fsPath, { state: 'pending', since: Date.now() });
      void this.compute(uri);
    }
    const f = footprint ?? { state: 'pending', since: Date.now() };
    const where = folder && folder !== vscode.workspace.asRelativePath(uri, false) ? ` · ${folder}` : '';
    if (f.state === 'pending') {
      const waiting = waitingRow(
        vscode.workspace.asRelativePath(uri),
        f.since,
        this.analyzer.backgroundStatus(),
        Date.now(),
      );
      item.description = `${waiting?.description ?? '…'}${where}`;
      if (waiting) item.tooltip = waiting.tooltip;
      item.iconPath = new vscode.ThemeIcon(waiting?.stalled ? 'watch' : 'loading~spin');
    } else if (f.state === 'failed') {
      item.description = `unreadable${where}`;
      item.tooltip = f.message;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
    } else {
      const approx = f.quick > 0 ? ` ${formatUncertainty(f.quick)}` : '';
      item.description = `${formatBytes(f.bytes)}${approx}${where}`;
      item.tooltip = `${vscode.workspace.asRelativePath(uri)}\n${formatCount(f.rows)} rows, ${formatBytes(f.bytes)}${approx} in pandas\nClick for the column-by-column footprint and the downcast plan.`;
      item.iconPath = new vscode.ThemeIcon('database');
    }
    return item;
  }

  /** Re-renders a row still pending at the slow and the stalled marks, so it never just spins. */
  private watchPending(uri: vscode.Uri): void {
    for (const at of [SLOW_FOOTPRINT_MS, STALLED_FOOTPRINT_MS]) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (this.footprints.get(uri.fsPath)?.state === 'pending') this.changed.fire(uri);
      }, at + 100);
      this.timers.add(timer);
    }
  }

  private async compute(uri: vscode.Uri): Promise<void> {
    this.watchPending(uri);
    try {
      const analysis = await this.analyzer.analyzeInBackground(uri);
      if (!analysis) {
        // Not analyzed (shutting down): no row may be left spinning, nor start over.
        this.footprints.set(uri.fsPath, { state: 'failed', message: 'not sized: Headroom is shutting down' });
        this.changed.fire(uri);
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
    for (const timer of this.timers) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
  }
}
