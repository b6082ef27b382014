/**
 * Runs the footprint engine for the VS Code faces and remembers results by path + size + mtime +
 * pandas model + mode (an exact result answers quick requests too). Background work (the Datasets
 * view, the status bar) goes through a queue one file at a time, so a folder of CSVs never floods
 * the machine; the panel's own requests run at once.
 */
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { closeFootprintEngine, footprintEngine } from '../lazyEngines';
import type { FootprintMode, FootprintResult, PandasModel } from '../core/footprint/types';
import { getPandasModelResolution, onDidChangePandasModel } from '../pythonInterpreter';

export interface Analysis {
  result: FootprintResult;
  /** Set when the pandas model is a default (no interpreter, no pandas), saying why. */
  modelNote: string | null;
}

interface Entry {
  key: string;
  mode: FootprintMode;
  analysis: Analysis;
}

/** Files above this size get a quick result first, then the exact one in the background. */
export const QUICK_FIRST_BYTES = 64 * 1024 * 1024;

const modelKey = (m: PandasModel) => `${m.pandas}/${m.python}/${m.pyarrow}`;

export class DatasetAnalyzer implements vscode.Disposable {
  private readonly cache = new Map<string, Entry>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly background = new AbortController();
  /** What the background queue is doing now, in words, and since when: what a waiting view shows. */
  private busy: { file: string; stage: string; since: number } | null = null;
  private readonly disposables: vscode.Disposable[];
  /** Fires with a file whose cached result changed, or undefined when all are stale (model changed). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables = [
      this.changed,
      onDidChangePandasModel(() => {
        this.cache.clear();
        this.changed.fire(undefined);
      }),
    ];
  }

  private async key(uri: vscode.Uri, model: PandasModel): Promise<{ key: string; size: number }> {
    const s = await stat(uri.fsPath);
    return { key: `${s.size}:${s.mtimeMs}:${modelKey(model)}`, size: s.size };
  }

  /** A cached result good for `mode` that is still current, without scanning. */
  async cached(uri: vscode.Uri, mode: FootprintMode): Promise<Analysis | undefined> {
    const entry = this.cache.get(uri.fsPath);
    if (!entry || (mode === 'exact' && entry.mode !== 'exact')) return undefined;
    try {
      const { key } = await this.key(uri, entry.analysis.result.model);
      return key === entry.key ? entry.analysis : undefined;
    } catch {
      return undefined;
    }
  }

  async fileSize(uri: vscode.Uri): Promise<number> {
    return (await stat(uri.fsPath)).size;
  }

  /** Scans now (or answers from the cache). Rejects with the engine's FootprintError on bad input. */
  async analyze(
    uri: vscode.Uri,
    mode: FootprintMode,
    signal?: AbortSignal,
    onProgress?: (fraction: number) => void,
    onStage?: (stage: string) => void,
  ): Promise<Analysis> {
    onStage?.('finding the Python interpreter and its pandas version');
    const resolution = await getPandasModelResolution(uri);
    const { key } = await this.key(uri, resolution.model);
    const entry = this.cache.get(uri.fsPath);
    if (entry && entry.key === key && (mode === 'quick' || entry.mode === 'exact')) return entry.analysis;
    const started = Date.now();
    onStage?.(`scanning ${vscode.workspace.asRelativePath(uri)}`);
    const result = await (
      await footprintEngine()
    ).analyzeFile(uri.fsPath, { model: resolution.model, mode, signal, onProgress });
    this.log.info(
      `${vscode.workspace.asRelativePath(uri)}: ${mode} scan, ${result.rows} rows, ${result.totalBytes} bytes in ${Date.now() - started} ms (${modelKey(resolution.model)})`,
    );
    const analysis = { result, modelNote: resolution.message ?? null };
    const current = this.cache.get(uri.fsPath);
    if (!(current && current.key === key && current.mode === 'exact' && mode === 'quick')) {
      this.cache.set(uri.fsPath, { key, mode, analysis });
      this.changed.fire(uri);
    }
    return analysis;
  }

  /** What the background queue is busy with (null when idle), e.g. "finding the Python interpreter for data.csv". */
  backgroundStatus(): { file: string; stage: string; since: number } | null {
    return this.busy;
  }

  /** Queued quick scan for the background faces (one file at a time); failures are logged and rethrown. */
  analyzeInBackground(uri: vscode.Uri): Promise<Analysis | undefined> {
    const run = this.queue.then(async () => {
      if (this.background.signal.aborted) return undefined;
      const file = vscode.workspace.asRelativePath(uri);
      try {
        return await this.analyze(uri, 'quick', this.background.signal, undefined, (stage) => {
          this.busy = { file, stage, since: Date.now() };
        });
      } catch (error) {
        this.log.warn(
          `${vscode.workspace.asRelativePath(uri)}: ${error instanceof Error ? error.message : String(error)}`,
        );
        throw error;
      } finally {
        this.busy = null;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  dispose(): void {
    this.background.abort();
    void closeFootprintEngine();
    for (const d of this.disposables) d.dispose();
  }
}
