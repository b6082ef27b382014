/**
 * Footprints of the data files the hints point at: quick first, exact in the background, cached by
 * file + size + mtime + read options + pandas model, invalidated when the file changes on disk.
 */
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import type { FootprintService } from '../footprintService';
import { footprintEngine, isFootprintError } from '../lazyEngines';
import type { DowncastPlan } from '../core/footprint';
import type { FootprintResult, PandasModel, ReadOptions } from '../core/footprint/types';

export interface FootprintState {
  result?: FootprintResult;
  plan?: DowncastPlan;
  /** A failure pandas would also hit, in plain words. */
  error?: string;
  pending: boolean;
}

interface Entry extends FootprintState {
  fileKey: string;
  controller: AbortController;
}

export class FootprintCache implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly footprints: FootprintService,
    private readonly refineToExact: () => boolean,
  ) {}

  /** What is known now (never waits); starts the work the first time a file/options pair is asked for. */
  get(file: string, read: ReadOptions, model: PandasModel): FootprintState {
    let fileKey: string;
    try {
      const s = statSync(file);
      fileKey = `${s.size}:${s.mtimeMs}`;
    } catch {
      return { pending: false, error: `${file} cannot be read` };
    }
    const key = JSON.stringify([file, read, model]);
    const existing = this.entries.get(key);
    if (existing && existing.fileKey === fileKey) return existing;
    existing?.controller.abort();
    const entry: Entry = { fileKey, controller: new AbortController(), pending: true };
    this.entries.set(key, entry);
    void this.compute(file, read, model, entry);
    return entry;
  }

  private async compute(file: string, read: ReadOptions, model: PandasModel, entry: Entry): Promise<void> {
    const modes: ('quick' | 'exact')[] = this.refineToExact() ? ['quick', 'exact'] : ['quick'];
    for (const mode of modes) {
      try {
        // Background work: half the cores, so the editor and the user's own runs keep theirs.
        const workers = Math.max(1, Math.floor(availableParallelism() / 2));
        const engine = await footprintEngine();
        const result = await this.footprints.analyzeWith(file, {
          model,
          mode,
          read,
          workers,
          signal: entry.controller.signal,
        });
        if (entry.controller.signal.aborted) return;
        entry.result = result;
        entry.plan = engine.planDowncast(result);
        this.changed.fire();
        // Small files are exact already in quick mode.
        if (result.mode === 'exact') break;
      } catch (error) {
        if (entry.controller.signal.aborted) return;
        if (isFootprintError(error)) {
          if (error.code === 'cancelled') return;
          entry.error = error.hint ? `${error.message} (${error.hint})` : error.message;
        } else {
          entry.error = `Headroom could not size ${file}: ${(error as Error).message}`;
          this.log.error(`hints: footprint of ${file} failed`, error);
        }
        this.changed.fire();
        break;
      }
    }
    entry.pending = false;
  }

  /** Drops what is known about a file (it changed on disk); the next get recomputes. */
  invalidate(file: string): void {
    let any = false;
    for (const [key, entry] of this.entries) {
      if ((JSON.parse(key) as [string])[0] === file) {
        entry.controller.abort();
        this.entries.delete(key);
        any = true;
      }
    }
    if (any) this.changed.fire();
  }

  dispose(): void {
    for (const entry of this.entries.values()) entry.controller.abort();
    this.entries.clear();
    this.changed.dispose();
  }
}
