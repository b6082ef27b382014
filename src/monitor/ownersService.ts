/**
 * Memory by owner in the extension host: crawls the process table at the monitor's interval while
 * the Resources view is visible and every 5 s otherwise, keeps the history the view draws from, and
 * raises the low-memory warning (settings `headroom.monitor.lowMemoryWarning` and
 * `headroom.monitor.lowMemoryPercent`) naming the largest owner, with what fits to do about it.
 * The extension host is the anchor that finds VS Code's own process tree. The crawler (an engine
 * bundle of its own) loads when the first crawl is due, not at activation.
 */
import * as vscode from 'vscode';
import { largestOwner, LowMemoryWatch, lowMemoryMessage } from '../core/monitor/lowMemory';
import type { OwnersMonitor } from '../core/monitor/ownersMonitor';
import type { OwnersPoint, OwnersSnapshot } from '../core/monitor/ownerTypes';
import { monitorLowMemoryPercent, monitorLowMemoryWarning } from '../config';
import type { MonitorService } from '../monitorService';
import type { ResourceSample } from '../core/monitor/sample';
import { ownersEngine } from '../lazyEngines';

const HIDDEN_INTERVAL_MS = 5000;
const REVEAL_FOR_MS = 10_000;

function warningSettings(): { enabled: boolean; thresholdPercent: number } {
  return { enabled: monitorLowMemoryWarning(), thresholdPercent: monitorLowMemoryPercent() };
}

export class OwnersService implements vscode.Disposable {
  private owners?: Promise<OwnersMonitor>;
  private loadedOwners?: OwnersMonitor;
  private readonly watch: LowMemoryWatch;
  private readonly emitter = new vscode.EventEmitter<OwnersSnapshot>();
  private readonly revealEmitter = new vscode.EventEmitter<string>();
  private readonly disposables: vscode.Disposable[] = [this.emitter, this.revealEmitter];
  private readonly consumer;
  private last?: OwnersSnapshot;
  private lastCrawlAt = 0;
  private viewVisible = false;
  private failed = false;
  private revealed?: { id: string; at: number };
  private disposed = false;

  readonly onSnapshot = this.emitter.event;
  /** The warning's "Reveal in Resources": which owner the view should bring into sight. */
  readonly onReveal = this.revealEmitter.event;

  constructor(
    private readonly monitor: MonitorService,
    private readonly log: vscode.LogOutputChannel,
  ) {
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
        this.loadedOwners?.setHistorySeconds(monitor.historySeconds);
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
    if (visible && sample && Date.now() - this.lastCrawlAt > this.monitor.intervalMs) void this.crawl(sample);
  }

  latest(): OwnersSnapshot | undefined {
    return this.last;
  }

  history(): OwnersPoint[] {
    return this.loadedOwners?.history() ?? [];
  }

  /** The owner "Reveal in Resources" asked for in the last 10 s: a view that was still loading shows it on ready. */
  recentReveal(): string | undefined {
    return this.revealed && Date.now() - this.revealed.at < REVEAL_FOR_MS ? this.revealed.id : undefined;
  }

  private onSample(sample: ResourceSample): void {
    if (process.platform !== 'linux' || this.failed) return;
    const due = this.viewVisible || Date.now() - this.lastCrawlAt >= HIDDEN_INTERVAL_MS - 100;
    const { enabled } = warningSettings();
    // A warning gets a fresh crawl: it names who holds the memory now, not 5 s ago.
    const warn = enabled && this.watch.update(sample.memory, sample.timestamp);
    if (!due && !warn) return;
    void this.crawl(sample).then((snapshot) => {
      const named = snapshot ?? this.last;
      if (warn && named) return this.warn(named);
    });
  }

  /** The crawler, loaded on the first crawl (one load, however many samples ask meanwhile). */
  private crawler(): Promise<OwnersMonitor> {
    this.owners ??= ownersEngine().then(
      ({ OwnersMonitor }) =>
        (this.loadedOwners = new OwnersMonitor({
          vscodeAnchors: [process.pid],
          historySeconds: this.monitor.historySeconds,
        })),
    );
    return this.owners;
  }

  private async crawl(sample: ResourceSample): Promise<OwnersSnapshot | undefined> {
    try {
      const owners = this.loadedOwners ?? (await this.crawler());
      if (this.disposed || this.failed) return undefined;
      this.last = owners.read(sample.memory, sample.timestamp);
      this.lastCrawlAt = Date.now();
      this.emitter.fire(this.last);
      return this.last;
    } catch (error) {
      // Never expected (every /proc read is guarded); stop rather than fail every second.
      this.failed = true;
      this.log.error(`Memory by owner stopped: crawling the process table failed: ${String(error)}`);
      return undefined;
    }
  }

  private async warn(snapshot: OwnersSnapshot): Promise<void> {
    const owner = largestOwner(snapshot);
    const text = lowMemoryMessage(snapshot, owner ? (this.loadedOwners?.growth(owner.id) ?? null) : null);
    this.log.warn(text);
    const runId = owner?.kind === 'run' ? owner.runId : undefined;
    const actions = runId ? ['Open Run', 'Stop Run'] : ['Reveal in Resources'];
    const choice = await vscode.window.showWarningMessage(text, ...actions, 'Settings');
    if (choice === 'Open Run') await vscode.commands.executeCommand('headroom.openRun', runId);
    else if (choice === 'Stop Run') await vscode.commands.executeCommand('headroom.stopRun', runId);
    else if (choice === 'Reveal in Resources') {
      await vscode.commands.executeCommand('headroom.showResources');
      if (owner) {
        this.revealed = { id: owner.id, at: Date.now() };
        this.revealEmitter.fire(owner.id);
      }
    } else if (choice === 'Settings')
      await vscode.commands.executeCommand('workbench.action.openSettings', 'headroom.monitor.lowMemory');
  }

  dispose(): void {
    this.disposed = true;
    this.loadedOwners?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
