/** The "Runs" view: runs newest first, each with its trials (status icons, best marked). */
import * as vscode from 'vscode';
import { headerOf, runNode, trialNodes, type IconRef, type RunNode, type TrialNode } from '../core/runView/runTree';
import type { RunManager } from './runManager';

export type RunsTreeNode = RunNode | TrialNode;

/** Trial lists longer than this are cut in the tree (the run panel shows them all). */
const MAX_TRIAL_NODES = 2000;

function icon(ref: IconRef): vscode.ThemeIcon {
  return new vscode.ThemeIcon(ref.id, ref.color ? new vscode.ThemeColor(ref.color) : undefined);
}

export class RunsTreeProvider implements vscode.TreeDataProvider<RunsTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<RunsTreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, RunNode>();
  private pending = new Set<string | undefined>();
  private timer: NodeJS.Timeout | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly runs: RunManager) {
    // Trial events can arrive hundreds a second; the tree is refreshed at most four times a second.
    this.subscription = runs.onDidChange((runId) => {
      this.pending.add(runId);
      this.timer ??= setTimeout(() => this.flush(), 250);
    });
  }

  private flush(): void {
    this.timer = undefined;
    const pending = this.pending;
    this.pending = new Set();
    if (pending.has(undefined)) return this.emitter.fire(undefined);
    for (const runId of pending) {
      const node = runId ? this.nodes.get(runId) : undefined;
      // VS Code finds the item to refresh by the element object it was given (a Map keyed by object):
      // the node it knows, updated in place, makes it re-read its label and children. A fresh object
      // was ignored, and a live run's row kept its first state ("0/8", spinning) to the end.
      this.emitter.fire(node ? this.runNodeOf(runId!) : undefined);
    }
  }

  private runNodeOf(runId: string): RunNode | undefined {
    const entry = this.runs.get(runId);
    if (!entry) return undefined;
    const model = entry.model;
    const fresh = model
      ? runNode(model.header, model.counts(), model.best)
      : runNode(headerOf(entry.summary), entry.summary.counts, entry.summary.best);
    const known = this.nodes.get(runId);
    if (known) return Object.assign(known, fresh);
    this.nodes.set(runId, fresh);
    return fresh;
  }

  getTreeItem(node: RunsTreeNode): vscode.TreeItem {
    if (node.kind === 'run') {
      const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
      item.id = `run:${node.runId}`;
      item.description = node.description;
      item.tooltip = node.tooltip;
      item.iconPath = icon(node.icon);
      item.contextValue = node.contextValue;
      item.command = { command: 'headroom.openRun', title: 'Open Run', arguments: [node] };
      item.accessibilityInformation = { label: `Run ${node.label}, ${node.description}` };
      return item;
    }
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = `trial:${node.runId}:${node.trialId}`;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.iconPath = icon(node.icon);
    item.contextValue = node.contextValue;
    item.accessibilityInformation = {
      label: `Trial ${node.label}${node.best ? ', best' : ''}: ${node.tooltip.split('\n')[0]}`,
    };
    return item;
  }

  getChildren(node?: RunsTreeNode): RunsTreeNode[] {
    if (!node) {
      return this.runs
        .list()
        .map((entry) => this.runNodeOf(entry.summary.runId))
        .filter((n): n is RunNode => n !== undefined);
    }
    if (node.kind !== 'run') return [];
    const model = this.runs.model(node.runId);
    if (!model) return [];
    const nodes = trialNodes(node.runId, model.rows(), model.best, model.header.metric, model.header);
    return nodes.length > MAX_TRIAL_NODES ? nodes.slice(0, MAX_TRIAL_NODES) : nodes;
  }

  getParent(node: RunsTreeNode): RunsTreeNode | undefined {
    return node.kind === 'trial' ? this.nodes.get(node.runId) : undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
