/**
 * Samples a trial's process tree while it runs: peak RSS and PSS (summed over the tree), CPU time,
 * and a usage message for the live views about once a second.
 */
import type { TrialUsageSample } from '../../protocol';
import { listProcesses, quickTreeTable, sampleTree, type TreeSample } from './processTree';

export class TreeSampler {
  peakRssBytes = 0;
  peakPssBytes: number | null = null;
  cpuMs = 0;
  private readonly timer: NodeJS.Timeout;
  private lastCpuMs = 0;
  private lastAt = Date.now();
  private startCpuMs: number | null = null;

  constructor(
    private readonly trialId: string,
    private readonly rootPid: number,
    intervalMs: number,
    private readonly onUsage: (usage: TrialUsageSample) => void,
  ) {
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  /**
   * Takes one sample now. `quick` follows only parent->child links (cheap enough to run at the end
   * of every short trial); the periodic samples scan all of /proc to also catch re-parented members.
   */
  sample(quick = false): TreeSample | undefined {
    const s = sampleTree(this.rootPid, quick ? quickTreeTable(this.rootPid) : listProcesses());
    if (s.pids.length === 0) return undefined;
    // A reused objective worker has CPU time from earlier trials: count from the first sample.
    if (this.startCpuMs === null) this.startCpuMs = s.cpuMs;
    this.peakRssBytes = Math.max(this.peakRssBytes, s.rssBytes);
    if (s.pssBytes !== null) this.peakPssBytes = Math.max(this.peakPssBytes ?? 0, s.pssBytes);
    this.cpuMs = Math.max(this.cpuMs, s.cpuMs - this.startCpuMs);
    const now = Date.now();
    const cpuPercent = now > this.lastAt ? Math.max(0, ((s.cpuMs - this.lastCpuMs) / (now - this.lastAt)) * 100) : 0;
    if (this.lastCpuMs > 0) {
      this.onUsage({
        trialId: this.trialId,
        pid: this.rootPid,
        rssBytes: s.rssBytes,
        pssBytes: s.pssBytes,
        cpuPercent,
      });
    }
    this.lastCpuMs = s.cpuMs;
    this.lastAt = now;
    return s;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
