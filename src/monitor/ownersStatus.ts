import { formatBytes } from '../core/format';
import type { OwnersSnapshot } from '../core/monitor/ownerTypes';

/** The status bar tooltip's line naming the three largest owners: "**Largest** Run "sweep" 8.40 GiB · …". */
export function topOwnersLine(snapshot: OwnersSnapshot): string | undefined {
  const top = snapshot.owners
    .filter((o) => o.kind !== 'other' && o.kind !== 'free')
    .slice(0, 3)
    .map((o) => `${escape(o.label)} ${formatBytes(o.bytes)}`);
  return top.length > 0 ? `**Largest** ${top.join(' · ')}` : undefined;
}

/** Labels come from command lines and file names: no markdown may pass through. */
function escape(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}
