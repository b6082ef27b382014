/**
 * A run's own log: `run.log` in its run folder, one line per event in words (what `headroom tune`
 * prints), each stamped with the local time. "Open log" and "Reveal Run Log" open this file, so a
 * run's story is one click away and never mixed with other runs in the shared output channel. A
 * failed write (disk full) stops the log, never the run.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from './events';
import { formatBytes } from '../format';

export function runLogPath(runDir: string): string {
  return join(runDir, 'run.log');
}

export function metricText(value: number | null | undefined): string {
  if (value === null || value === undefined) return '-';
  return Math.abs(value) >= 1000 || Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

/** One event in words (null: nothing worth a line). Shared by the CLI's output and run.log. */
export function describeRunEvent(e: RunEvent, metric: string): string | null {
  switch (e.type) {
    case 'runStarted':
      return `run ${e.runId}${e.resumed ? ` resumed (${e.skipped} finished trials kept)` : ''}: ${e.total} trials\n  ${e.runDir}`;
    case 'trialFinished': {
      const r = e.record;
      const params = Object.entries(r.params)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      const result =
        r.status === 'done' || r.status === 'cached' ? `${metric}=${metricText(r.value)}` : (r.error ?? r.status);
      // RSS as the panel's "Peak RSS"; PSS (shared pages split between processes) next to it when measured.
      const pss = r.peakPssBytes ? `, PSS ${formatBytes(r.peakPssBytes)}` : '';
      const mem = r.peakRssBytes ? `, peak RSS ${formatBytes(r.peakRssBytes)}${pss}` : '';
      const best = e.best?.trialId === r.trialId && r.value !== null ? ', new best' : '';
      return `  ${r.trialId} ${r.status.padEnd(9)} ${params} -> ${result} (${(r.wallMs / 1000).toFixed(1)} s${mem}${best})`;
    }
    case 'concurrency':
      return `  concurrency: ${e.decision.reason}`;
    case 'memoryGuard':
      return `  memory guard: ${e.trialId} ${e.action}`;
    case 'rung':
      return `  halving rung ${e.rung}: ${e.candidates} candidates on ${(e.fraction * 100).toFixed(1)}% of the data`;
    case 'log':
      return `  ${e.level}: ${e.message}`;
    default:
      return null;
  }
}

/** run.log also says when each trial started and where its own log is (the CLI leaves that out). */
function logLine(e: RunEvent, metric: string): string | null {
  if (e.type === 'trialStarted')
    return `  ${e.trialId} started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}, pid ${e.pid}${e.logFile ? `, log ${e.logFile}` : ''}`;
  if (e.type === 'runFinished') {
    const s = e.summary;
    return `run ${s.status}${s.best ? `: best ${s.best.trialId} ${metric}=${metricText(s.best.value)}` : ''}${s.error ? `\n  error: ${s.error}` : ''}`;
  }
  return describeRunEvent(e, metric);
}

function clock(at: number): string {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export class RunLogWriter {
  private failed = false;

  constructor(
    readonly path: string,
    private readonly metric: string,
  ) {}

  record(event: RunEvent): void {
    if (this.failed) return;
    const text = logLine(event, this.metric);
    if (text === null) return;
    try {
      appendFileSync(this.path, `[${clock(event.at)}] ${text.replace(/\n(?!$)/g, '\n    ')}\n`);
    } catch {
      this.failed = true;
    }
  }
}
