/**
 * The memory-by-owner split as it crosses runtimes: printed by `headroom monitor --by-owner --json`,
 * sent by the host to the Resources webview (src/messages/resources.ts) and read by the status bar and
 * the low-memory warning. Pure types: compiled into the host, the CLI and the webview bundle alike.
 */

/** How an owner's memory was measured: PSS (shared pages split between sharers) or RSS. */
export type MemoryMeasure = 'pss' | 'rss' | 'mixed';

export type OwnerKind = 'run' | 'kernel' | 'program' | 'vscode' | 'process' | 'other' | 'free';

/** One process of an owner's tree, in tree order (parents before children). */
export interface OwnerProcess {
  pid: number;
  ppid: number;
  /** Depth below the owner's root (0 for a root). */
  depth: number;
  command: string;
  bytes: number;
  measure: 'pss' | 'rss';
  /** PSS read in an earlier crawl (it is costly for large processes): its age; bytes add the RSS change since. */
  pssAgeMs?: number;
}

export interface MemoryOwner {
  /** Stable across crawls: `run:<id>`, `kernel:<pid>:<start>`, `program:<pid>:<start>`, `vscode`, `process:<pid>:<start>`, `other`, `free`. */
  id: string;
  kind: OwnerKind;
  label: string;
  /** A second line: the notebook's folder, the script's arguments, the run's folder. */
  detail: string;
  bytes: number;
  /** Absent for `other` (what no process accounts for) and `free` (available memory). */
  measure?: MemoryMeasure;
  /** The processes, in tree order; at most MAX_LISTED of them, `hiddenProcesses` more. */
  processes: OwnerProcess[];
  hiddenProcesses: number;
  /** Headroom runs: which run, so the view and the warning can open or stop it. */
  runId?: string;
  runDir?: string;
}

export interface OwnersSnapshot {
  timestamp: number;
  /** The sample's memory (the container limit's when one applies). */
  totalBytes: number;
  usedBytes: number;
  availableBytes: number;
  /** Named owners, largest first, then `other`, then `free`. */
  owners: MemoryOwner[];
  crawl: {
    processes: number;
    /** CPU time the crawl and attribution took (user + system), milliseconds. */
    cpuMs: number;
    /** smaps_rollup reads, and how many of them failed (process gone, permission denied). */
    pssReads: number;
    pssDenied: number;
  };
}

/** Bytes of each owner at one time: what the sparklines and the stacked chart draw. */
export interface OwnersPoint {
  timestamp: number;
  bytes: Record<string, number>;
}

export const MAX_LISTED = 40;
