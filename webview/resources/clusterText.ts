/** The Cluster section's text, pure (unit-tested without a DOM). */
import { formatBytes } from '../../src/core/format';
import type { ClusterNode } from '../../src/core/tuning/events';

/**
 * What the run's trials use there, and what Ray has reserved of the node's `memory`. Trials that start
 * before Headroom has any forecast ask Ray for no memory (its default): then nothing is reserved, said so.
 */
export function memoryText(n: ClusterNode): string {
  const reserved = n.memoryTotal - n.memoryFree;
  const of = formatBytes(n.memoryTotal);
  return `${formatBytes(n.trialBytes)} used · ${reserved > 0 ? `${formatBytes(reserved)} of ${of}` : `none of ${of}`} reserved`;
}
