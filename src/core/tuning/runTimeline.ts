/**
 * A run's resource timeline on disk: `timeline.jsonl` in the run folder, one line per usage point (the
 * summed memory and CPU of the running trials at a sampling tick) or admission decision, appended as
 * the engine emits them. A run panel reopened after a window reload (or for a run the CLI ran) draws
 * its memory/CPU chart and decision marks from it. A crash leaves at most one partial last line, which
 * the reader skips; a failed write (disk full) stops the timeline, never the run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunUsagePoint } from '../runView/viewTypes';
import type { ConcurrencyDecision, RunEvent } from './events';
import { USAGE_POINTS_KEPT, usagePointOf } from '../runView/usage';
import { JsonLinesFile, parseJsonLines } from './jsonLines';

export interface RunTimeline {
  /** The last USAGE_POINTS_KEPT points, oldest first. */
  usage: RunUsagePoint[];
  decisions: ConcurrencyDecision[];
}

type Line = { usage: RunUsagePoint } | { decision: ConcurrencyDecision };

export function timelinePath(runDir: string): string {
  return join(runDir, 'timeline.jsonl');
}

export class RunTimelineWriter {
  private readonly file: JsonLinesFile;
  private failed = false;

  constructor(path: string) {
    this.file = new JsonLinesFile(path);
  }

  /** Keeps what the timeline needs from an engine event. */
  record(event: RunEvent): void {
    if (event.type === 'trialUsage') this.write({ usage: usagePointOf(event.at, event.usage) });
    else if (event.type === 'concurrency') this.write({ decision: event.decision });
  }

  private write(line: Line): void {
    if (this.failed) return;
    try {
      this.file.append(line);
    } catch {
      this.failed = true;
    }
  }
}

/** Reads a run's timeline; empty for a run without one (recorded before timelines were kept). */
export function readTimeline(runDir: string): RunTimeline {
  const path = timelinePath(runDir);
  const timeline: RunTimeline = { usage: [], decisions: [] };
  if (!existsSync(path)) return timeline;
  for (const value of parseJsonLines(readFileSync(path, 'utf8'))) {
    const line = value as Partial<{ usage: RunUsagePoint; decision: ConcurrencyDecision }> | null;
    if (line?.usage && typeof line.usage.at === 'number') timeline.usage.push(line.usage);
    else if (line?.decision && typeof line.decision.at === 'number') timeline.decisions.push(line.decision);
  }
  if (timeline.usage.length > USAGE_POINTS_KEPT) timeline.usage.splice(0, timeline.usage.length - USAGE_POINTS_KEPT);
  return timeline;
}
