/**
 * When to warn that memory is low: available memory below `thresholdPercent` of the total for
 * `sustainMs` (a short dip is no episode), at most once per episode (an episode ends when available
 * memory climbs back above the threshold plus a margin), and not in the first minute after start-up
 * (when editors, extensions and language servers load) unless available memory is below
 * `criticalPercent`. Pure logic: the host feeds it samples and shows the notification.
 */
import type { ResourceSample } from './sample';
import { formatBytes } from '../format';
import type { MemoryOwner, OwnersSnapshot } from './ownerTypes';

export interface LowMemoryOptions {
  thresholdPercent: number;
  sustainMs?: number;
  startupGraceMs?: number;
  /** Below this, the start-up grace does not hold. Default: a third of the threshold. */
  criticalPercent?: number;
  /** Percentage points above the threshold that end an episode. */
  recoverMarginPercent?: number;
}

export class LowMemoryWatch {
  private belowSince: number | null = null;
  private warned = false;

  constructor(
    private options: LowMemoryOptions,
    private readonly startedAt = Date.now(),
  ) {}

  /** A new threshold starts afresh: a user who changes it learns at once whether memory is below it. */
  setOptions(options: LowMemoryOptions): void {
    if (options.thresholdPercent !== this.options.thresholdPercent) {
      this.belowSince = null;
      this.warned = false;
    }
    this.options = options;
  }

  /** True when this sample should raise the warning (once per episode). */
  update(memory: ResourceSample['memory'], now = Date.now()): boolean {
    const { thresholdPercent } = this.options;
    if (!(thresholdPercent > 0) || memory.totalBytes <= 0) return false;
    const availablePercent = (memory.availableBytes / memory.totalBytes) * 100;
    const margin = this.options.recoverMarginPercent ?? Math.max(1, thresholdPercent * 0.2);
    if (availablePercent >= thresholdPercent + margin) {
      this.belowSince = null;
      this.warned = false; // the episode is over
      return false;
    }
    if (availablePercent >= thresholdPercent) return false; // between: the episode goes on, no new one
    this.belowSince ??= now;
    if (this.warned || now - this.belowSince < (this.options.sustainMs ?? 3000)) return false;
    const critical = this.options.criticalPercent ?? thresholdPercent / 3;
    if (now - this.startedAt < (this.options.startupGraceMs ?? 60_000) && availablePercent >= critical) return false;
    this.warned = true;
    return true;
  }
}

/** The owner to name: the largest one the user can act on (not `other`, not `free`). */
export function largestOwner(snapshot: OwnersSnapshot): MemoryOwner | undefined {
  return snapshot.owners.filter((o) => o.kind !== 'other' && o.kind !== 'free').sort((a, b) => b.bytes - a.bytes)[0];
}

/** "Memory is low: 1.1 GiB available of 23.5 GiB. Largest: Run "sweep" with 8.4 GiB (PSS), growing 120 MiB/s." */
export function lowMemoryMessage(snapshot: OwnersSnapshot, growthBytesPerSecond: number | null): string {
  const head = `Memory is low: ${formatBytes(snapshot.availableBytes)} available of ${formatBytes(snapshot.totalBytes)}.`;
  const owner = largestOwner(snapshot);
  if (!owner) return head;
  const measure = owner.measure === 'pss' ? ' (PSS)' : owner.measure === 'rss' ? ' (RSS)' : '';
  let growth = '';
  if (growthBytesPerSecond !== null) {
    const perSecond = Math.abs(growthBytesPerSecond);
    growth =
      perSecond < 1024 * 1024
        ? ', steady over the last 30 s'
        : `, ${growthBytesPerSecond > 0 ? 'growing' : 'shrinking'} ${formatBytes(perSecond)}/s`;
  }
  return `${head} Largest: ${owner.label} with ${formatBytes(owner.bytes)}${measure}${growth}.`;
}
