/**
 * A view never waits forever: what a Datasets row says while its footprint is late, and when it
 * gives up. No vscode here, so the words and the limits are unit-tested.
 */

/** A row still sizing after this long says what it waits for. */
export const SLOW_FOOTPRINT_MS = 15_000;
/** After this long it stops spinning and says so (the result still lands if it comes later). */
export const STALLED_FOOTPRINT_MS = 90_000;
/** Listing the workspace's dataset files: past this the view shows a message instead of its progress bar. */
export const FIND_FILES_TIMEOUT_MS = 20_000;

export interface QueueStatus {
  file: string;
  stage: string;
  since: number;
}

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/** The row of a file whose footprint is pending: its description and tooltip, and whether it gave up. */
export function waitingRow(
  file: string,
  pendingSince: number,
  queue: QueueStatus | null,
  now: number,
): { description: string; tooltip: string; stalled: boolean } | null {
  const waited = now - pendingSince;
  if (waited < SLOW_FOOTPRINT_MS) return null;
  const busy = queue
    ? queue.file === file
      ? `${queue.stage} (for ${seconds(now - queue.since)})`
      : `the queue is busy with ${queue.file}: ${queue.stage} (for ${seconds(now - queue.since)})`
    : 'the footprint queue has not reached it yet';
  const stalled = waited >= STALLED_FOOTPRINT_MS;
  return {
    description: stalled ? `no size after ${seconds(waited)}` : `waiting ${seconds(waited)}…`,
    tooltip:
      `${file}: no footprint yet after ${seconds(waited)}; ${busy}.` +
      (stalled ? '\nRefresh Datasets tries again; Headroom: Show Logs has the details.' : ''),
    stalled,
  };
}
