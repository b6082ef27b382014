import * as vscode from 'vscode';
import { SampleHistory } from './core/monitor/history';
import { ResourceSampler, type SampleDetail } from './core/monitor/sampler';
import { monitorHistorySeconds, monitorIntervalMs } from './config';
import type { ResourceSample } from './core/monitor/sample';

/** A consumer of samples; while any 'full' consumer is visible, samples include the GPUs. */
export interface MonitorConsumer extends vscode.Disposable {
  setDetail(detail: SampleDetail | 'off'): void;
}

/**
 * Owns the sampling timer. It runs only while something consumes samples (the status bar, a
 * visible view), at the interval from the settings, and samples only the detail the consumers need.
 */
export class MonitorService implements vscode.Disposable {
  private readonly sampler: ResourceSampler;
  private readonly history: SampleHistory;
  private readonly consumers = new Map<number, SampleDetail | 'off'>();
  private readonly emitter = new vscode.EventEmitter<ResourceSample>();
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private timer?: NodeJS.Timeout;
  private firstTick?: NodeJS.Timeout;
  private nextId = 0;
  private inFlight = false;
  private failureLogged = false;

  readonly onSample = this.emitter.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.sampler = new ResourceSampler(log);
    this.history = new SampleHistory(settings().historySeconds);
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('headroom.monitor')) return;
        this.history.setSeconds(settings().historySeconds);
        this.reschedule();
      }),
    );
  }

  get intervalMs(): number {
    return settings().intervalMs;
  }

  get historySeconds(): number {
    return settings().historySeconds;
  }

  latest(): ResourceSample | undefined {
    return this.history.latest();
  }

  samples(): ResourceSample[] {
    return this.history.all();
  }

  /** A fresh reading now, whether or not the timer runs (for one-off decisions such as plans). */
  async sampleOnce(detail: SampleDetail = 'status'): Promise<ResourceSample> {
    return this.sampler.sample(detail);
  }

  register(detail: SampleDetail | 'off'): MonitorConsumer {
    const id = this.nextId++;
    this.consumers.set(id, detail);
    this.reschedule();
    return {
      setDetail: (next) => {
        if (!this.consumers.has(id) || this.consumers.get(id) === next) return;
        this.consumers.set(id, next);
        this.reschedule();
      },
      dispose: () => {
        this.consumers.delete(id);
        this.reschedule();
      },
    };
  }

  private detail(): SampleDetail | 'off' {
    const details = [...this.consumers.values()];
    if (details.includes('full')) return 'full';
    return details.includes('status') ? 'status' : 'off';
  }

  private reschedule(): void {
    clearInterval(this.timer);
    clearTimeout(this.firstTick);
    this.timer = undefined;
    if (this.detail() === 'off') return;
    // Right after the caller, not inside it: activate() registers the consumers and only wires (the
    // first reading loads the systeminformation bundle), and consumers registered together share it.
    this.firstTick = setTimeout(() => void this.tick(), 0);
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  private async tick(): Promise<void> {
    const detail = this.detail();
    if (this.inFlight || detail === 'off') return; // a slow probe must not pile up readings
    this.inFlight = true;
    try {
      const sample = await this.sampler.sample(detail);
      this.history.push(sample);
      this.emitter.fire(sample);
    } catch (error) {
      if (!this.failureLogged) this.log.error(`Reading CPU and memory failed: ${String(error)}`);
      this.failureLogged = true;
    } finally {
      this.inFlight = false;
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    clearTimeout(this.firstTick);
    this.timer = undefined;
    for (const d of this.disposables) d.dispose();
  }
}

function settings(): { intervalMs: number; historySeconds: number } {
  return { intervalMs: monitorIntervalMs(), historySeconds: monitorHistorySeconds() };
}
