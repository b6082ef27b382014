/**
 * A Ray trial's result (measured on its node by python/headroom_runtime/_ray_trial.py) turned into
 * the same TrialOutcome a local trial ends with: its output goes to the run's bounded log here, the
 * metrics come from report() or the last JSON line, exit codes and signals read as locally.
 */
import { BoundedLog, ResultScanner } from './outputSink';
import { describeExit, LastLine } from './pythonProcess';
import { emptyOutcome, type TrialOutcome } from './types';

export interface RayResult {
  node: string;
  exitCode: number | null;
  signal: string | null;
  startedAt: number;
  endedAt: number;
  cpuMs: number;
  peakRssBytes: number;
  /** Set when Headroom's guard on the node killed the trial for memory. */
  killNote: string | null;
  stdout: string;
  stderr: string;
  logDroppedBytes: number;
}

export function rayOutcome(
  r: RayResult,
  metric: string,
  logPath: string,
  logLimitBytes: number,
  killReason: TrialOutcome['killReason'],
): TrialOutcome {
  const log = new BoundedLog(logPath, logLimitBytes);
  log.write(Buffer.from(r.stdout));
  if (r.stderr) log.write(Buffer.from(r.stderr));
  if (r.killNote) log.note(`[headroom] ${r.killNote}`);
  log.close();
  const scanner = new ResultScanner(metric);
  scanner.push(Buffer.from(r.stdout + '\n'));
  scanner.end();
  const stderrTail = new LastLine();
  stderrTail.push(Buffer.from(r.stderr));
  const metrics = scanner.last ?? {};
  const base: TrialOutcome = {
    metrics,
    exitCode: r.exitCode,
    signal: r.signal,
    error: null,
    startedAt: Math.round(r.startedAt),
    endedAt: Math.round(r.endedAt),
    cpuMs: r.cpuMs,
    peakRssBytes: r.peakRssBytes,
    peakPssBytes: null,
    logDroppedBytes: r.logDroppedBytes + log.droppedBytes,
    killReason: r.killNote ? 'memory' : killReason,
    status: 'done',
  };
  if (base.killReason) return { ...base, status: 'killed' };
  if (r.exitCode !== 0)
    return { ...base, status: 'failed', error: describeExit(r.exitCode, r.signal, stderrTail.line) };
  if (!(metric in metrics))
    return {
      ...base,
      status: 'failed',
      error: `finished without reporting '${metric}': call headroom_runtime.report(${metric}=...) or print a JSON object containing "${metric}"`,
    };
  return base;
}

/** What the driver reported of an attempt while it ran (usageAt: the last usage reading, 0 for none). */
export interface AttemptReadings {
  startedAt: number;
  usageAt: number;
  peakBytes: number;
  cpuMs: number;
}

/** An attempt that ended without a result from its node (cancelled, lost with its node, killed by Ray). */
export function lostOutcome(attempt: AttemptReadings, killReason: TrialOutcome['killReason']): TrialOutcome {
  const reported = attempt.usageAt > 0;
  return emptyOutcome({
    status: killReason ? 'killed' : 'failed',
    startedAt: attempt.startedAt,
    killReason,
    // Only what its node reported was measured: an attempt lost before any reading has no peak or CPU time.
    peakRssBytes: reported || attempt.peakBytes > 0 ? attempt.peakBytes : null,
    cpuMs: reported ? attempt.cpuMs : null,
  });
}
