/**
 * Samples a trial's process tree while it runs: peak RSS and PSS (summed over the tree), CPU time,
 * and a usage message for the live views about once a second.
 */
import type { TrialUsageSample } from './events';
import { listProcesses, quickTreeTable, sampleTree, type TreeSample } from './processTree';

export class TreeSampler {
  peakRssBytes = 0;
  peakPssBytes: number | null = null;
  cpuMs = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly first: NodeJS.Timeout;
  private lastCpuMs = 0;
  private lastAt = Date.now();
  private startCpuMs: number | null = null;
  private samples = 0;
  private peakMeasured = false;

  constructor(
    private readonly trialId: string,
    private readonly rootPid: number,
    intervalMs: number,
    private readonly onUsage: (usage: TrialUsageSample) => void,
    /** False for a supervised tree: the root is the supervisor, whose memory is not the trial's. */
    private readonly rootMemory = true,
  ) {
    // The first reading comes early: admission may be waiting for it to size the next trials.
    this.first = setTimeout(() => this.sample(false, true), Math.min(200, intervalMs));
    this.first.unref();
    this.timer = setInterval(() => this.sample(false, true), intervalMs);
    this.timer.unref();
  }

  /**
   * Takes one sample now. `quick` follows only parent->child links (cheap enough to run at the end
   * of every short trial); the periodic samples scan all of /proc to also catch re-parented members.
   * `peak: false` for a sample at spawn: a process that has just started is not yet the trial's size.
   */
  sample(quick = false, report = false, peak = true): TreeSample | undefined {
    const s = sampleTree(this.rootPid, quick ? quickTreeTable(this.rootPid) : listProcesses(), this.rootMemory);
    if (s.pids.length === 0) return undefined;
    this.samples += 1;
    // A reused objective worker has CPU time from earlier trials: count from the first sample.
    if (this.startCpuMs === null) this.startCpuMs = s.cpuMs;
    // A sample taken while a member exits (its memory already released) is neither a peak nor news.
    const valid = s.measured > 0 && !s.exiting;
    if (valid && peak) {
      this.peakRssBytes = Math.max(this.peakRssBytes, s.rssBytes);
      this.peakMeasured = true;
      if (s.pssBytes !== null) this.peakPssBytes = Math.max(this.peakPssBytes ?? 0, s.pssBytes);
    }
    this.cpuMs = Math.max(this.cpuMs, s.cpuMs - this.startCpuMs);
    const now = Date.now();
    const cpuPercent =
      this.samples > 1 && now > this.lastAt ? Math.max(0, ((s.cpuMs - this.lastCpuMs) / (now - this.lastAt)) * 100) : 0;
    // Only the periodic samples go out: a reading taken right at spawn says nothing about the trial's size.
    if (report && valid) {
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

  /** CPU time counted from the first sample; null until a later sample measured some. */
  get measuredCpuMs(): number | null {
    return this.samples > 1 ? this.cpuMs : null;
  }

  /** The peak RSS sampled; null when no sample caught the tree at a size that counts. */
  get measuredPeakRssBytes(): number | null {
    return this.peakMeasured ? this.peakRssBytes : null;
  }

  stop(): void {
    clearTimeout(this.first);
    clearInterval(this.timer);
  }
}

/** The largest of the measurements taken; null when none was (a 0 that was measured stays 0). */
export function knownMax(...values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? Math.max(...known) : null;
}
