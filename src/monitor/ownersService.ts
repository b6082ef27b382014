/**
 * Memory by owner in the extension host: crawls the process table at the monitor's interval while
 * the Resources view is visible and every 5 s otherwise, keeps the history the view draws from, and
 * raises the low-memory warning (settings `headroom.monitor.lowMemoryWarning` and
 * `headroom.monitor.lowMemoryPercent`) naming the largest owner, with what fits to do about it.
 * The extension host is the anchor that finds VS Code's own process tree.
 */
import * as vscode from 'vscode';
import { largestOwner, LowMemoryWatch, lowMemoryMessage } from '../core/monitor/lowMemory';
import { OwnersMonitor } from '../core/monitor/ownersMonitor';
import type { OwnersPoint, OwnersSnapshot } from '../core/monitor/ownerTypes';
import { monitorLowMemoryPercent, monitorLowMemoryWarning } from '../config';
import type { MonitorService } from '../monitorService';
import type { ResourceSample } from '../core/monitor/sample';

const HIDDEN_INTERVAL_MS = 5000;

function warningSettings(): { enabled: boolean; thresholdPercent: number } {
  return { enabled: monitorLowMemoryWarning(), thresholdPercent: monitorLowMemoryPercent() };
}

export class OwnersService implements vscode.Disposable {
  private readonly owners: OwnersMonitor;
  private readonly watch: LowMemoryWatch;
  private readonly emitter = new vscode.EventEmitter<OwnersSnapshot>();
  private readonly revealEmitter = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [this.emitter, this.revealEmitter];
  private readonly consumer;
  private last?: OwnersSnapshot;
  private lastCrawlAt = 0;
  private viewVisible = false;
  private failed = false;

  readonly onSnapshot = this.emitter.event;
  /** The warning's "Reveal in Resources": which owner the view should bring into sight. */
  readonly onReveal = this.revealEmitter.event;

  constructor(
    private readonly monitor: MonitorService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.owners = new OwnersMonitor({ vscodeAnchors: [process.pid], historySeconds: monitor.historySeconds });
    this.watch = new LowMemoryWatch({ thresholdPercent: warningSettings().thresholdPercent });
    // Samples must flow for the warning even with the status bar hidden and the view closed.
    this.consumer = monitor.register(this.wanted() ? 'status' : 'off');
    this.disposables.push(
      this.consumer,
      monitor.onSample((sample) => this.onSample(sample)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('headroom.monitor')) return;
        const { enabled, thresholdPercent } = warningSettings();
        this.watch.setOptions({ thresholdPercent });
        log.info(
          `Low-memory warning: ${enabled && thresholdPercent > 0 ? `below ${thresholdPercent}% available` : 'off'}`,
        );
        this.owners.setHistorySeconds(monitor.historySeconds);
        this.consumer.setDetail(this.wanted() ? 'status' : 'off');
      }),
    );
  }

  private wanted(): boolean {
    return process.platform === 'linux' && (this.viewVisible || warningSettings().enabled);
  }

  /** The Resources view tells when it can be seen: then the crawl follows every sample. */
  setViewVisible(visible: boolean): void {
    this.viewVisible = visible;
    this.consumer.setDetail(this.wanted() ? 'status' : 'off');
    const sample = this.monitor.latest();
    if (visible && sample && Date.now() - this.lastCrawlAt > this.monitor.intervalMs) this.crawl(sample);
  }

  latest(): OwnersSnapshot | undefined {
    return this.last;
  }

  history(): OwnersPoint[] {
    return this.owners.history();
  }

  private onSample(sample: ResourceSample): void {
    if (process.platform !== 'linux' || this.failed) return;
    const due = this.viewVisible || Date.now() - this.lastCrawlAt >= HIDDEN_INTERVAL_MS - 100;
    if (due) this.crawl(sample);
    const { enabled } = warningSettings();
    if (enabled && this.watch.update(sample.memory, sample.timestamp)) {
      // A fresh crawl: the warning names who holds the memory now, not 5 s ago.
      if (!due) this.crawl(sample);
      if (this.last) void this.warn(this.last);
    }
  }

  private crawl(sample: ResourceSample): void {
    try {
      this.last = this.owners.read(sample.memory, sample.timestamp);
      this.lastCrawlAt = Date.now();
      this.emitter.fire(this.last);
    } catch (error) {
      // Never expected (every /proc read is guarded); stop rather than fail every second.
      this.failed = true;
      this.log.error(`Memory by owner stopped: crawling the process table failed: ${String(error)}`);
    }
  }

  private async warn(snapshot: OwnersSnapshot): Promise<void> {
    const owner = largestOwner(snapshot);
    const text = lowMemoryMessage(snapshot, owner ? this.owners.growth(owner.id) : null);
    this.log.warn(text);
    const runId = owner?.kind === 'run' ? owner.runId : undefined;
    const actions = runId ? ['Open Run', 'Stop Run'] : ['Reveal in Resources'];
    const choice = await vscode.window.showWarningMessage(text, ...actions, 'Settings');
    if (choice === 'Open Run') await vscode.commands.executeCommand('headroom.openRun', runId);
    else if (choice === 'Stop Run') await vscode.commands.executeCommand('headroom.stopRun', runId);
    else if (choice === 'Reveal in Resources') {
      await vscode.commands.executeCommand('headroom.showResources');
      if (owner) this.revealEmitter.fire(owner.id);
    } else if (choice === 'Settings')
      await vscode.commands.executeCommand('workbench.action.openSettings', 'headroom.monitor.lowMemory');
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
