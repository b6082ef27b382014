/**
 * The footprint service: every footprint the VS Code side shows (the dataset panel, the Datasets
 * view, the dataset status bar item, the hints, a tuning run's data estimate) comes from here.
 * Created once in activate(); it owns the footprint engine (loaded on first use) and its worker
 * pool, and keeps one cache keyed on the file's identity (path, size, mtime), the pandas model and
 * the read options, so the same file is never scanned twice for the same model (an exact result
 * answers quick requests too, and a request joins the same scan in flight: scanCache.ts). Background work (the Datasets view, the status bar) goes through a
 * queue one file at a time, so a folder of CSVs never floods the machine; interactive requests run at once.
 */
import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { FootprintMode, FootprintOptions, FootprintResult, PandasModel } from './core/footprint/types';
import { closeFootprintEngine, footprintEngine } from './lazyEngines';
import type { PythonEnvironment } from './pythonEnvironment';
import { ScanCache } from './scanCache';

export interface Analysis {
  result: FootprintResult;
  /** Set when the pandas model is a default (no interpreter, no pandas), saying why. */
  modelNote: string | null;
}

/** Files above this size get a quick result first, then the exact one in the background. */
export const QUICK_FIRST_BYTES = 64 * 1024 * 1024;

const modelKey = (m: PandasModel) => `${m.pandas}/${m.python}/${m.pyarrow}`;

export class FootprintService implements vscode.Disposable {
  private readonly cache = new ScanCache<Analysis>(
    async (path) => {
      const s = await stat(path);
      return `${s.size}:${s.mtimeMs}`;
    },
    (analysis) => analysis.result.mode,
  );
  private readonly changed = new vscode.EventEmitter<vscode.Uri | undefined>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly background = new AbortController();
  /** What the background queue is doing now, in words, and since when: what a waiting view shows. */
  private busy: { file: string; stage: string; since: number } | null = null;
  private readonly disposables: vscode.Disposable[];
  /** Fires with a file whose cached result changed, or undefined when all are stale (model changed). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly python: PythonEnvironment,
  ) {
    this.disposables = [
      this.changed,
      python.onDidChange(() => {
        this.cache.clear();
        this.changed.fire(undefined);
      }),
    ];
  }

  private static key(path: string, model: PandasModel, read: FootprintOptions['read']): string {
    return JSON.stringify([path, modelKey(model), read ?? null]);
  }

  /** A cached result for the file under the user's interpreter's model, without scanning. */
  async cached(uri: vscode.Uri, mode: FootprintMode): Promise<Analysis | undefined> {
    const { model } = await this.python.pandasModelResolution(uri);
    return this.cache.lookup({ path: uri.fsPath, key: FootprintService.key(uri.fsPath, model, undefined), mode });
  }

  async fileSize(uri: vscode.Uri): Promise<number> {
    return (await stat(uri.fsPath)).size;
  }

  /** Scans under the user's interpreter's model (or answers from the cache); rejects with the engine's FootprintError on bad input. */
  async analyze(
    uri: vscode.Uri,
    mode: FootprintMode,
    signal?: AbortSignal,
    onProgress?: (fraction: number) => void,
    onStage?: (stage: string) => void,
  ): Promise<Analysis> {
    onStage?.('finding the Python interpreter and its pandas version');
    const resolution = await this.python.pandasModelResolution(uri);
    onStage?.(`scanning ${vscode.workspace.asRelativePath(uri)}`);
    return this.scan(
      uri.fsPath,
      { model: resolution.model, mode, signal, onProgress },
      resolution.message ?? null,
      true,
    );
  }

  /** Scans under a given model and read options (the hints' read_csv arguments, a tuning run's interpreter). */
  async analyzeWith(path: string, options: FootprintOptions): Promise<FootprintResult> {
    return (await this.scan(path, options, null, false)).result;
  }

  /** `notify`: the result is one the dataset faces show (the user's model, no read options): tell them. */
  private async scan(
    path: string,
    options: FootprintOptions,
    modelNote: string | null,
    notify: boolean,
  ): Promise<Analysis> {
    const request = {
      path,
      key: FootprintService.key(path, options.model, options.read),
      mode: options.mode,
      signal: options.signal,
    };
    const scan = async (): Promise<Analysis> => {
      const started = Date.now();
      const result = await (await footprintEngine()).analyzeFile(path, options);
      this.log.info(
        `${vscode.workspace.asRelativePath(path)}: ${options.mode} scan, ${result.rows} rows, ${result.totalBytes} bytes in ${Date.now() - started} ms (${modelKey(options.model)})`,
      );
      return { result, modelNote };
    };
    return this.cache.get(request, scan, () => notify && this.changed.fire(vscode.Uri.file(path)));
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
        this.log.warn(`${file}: ${error instanceof Error ? error.message : String(error)}`);
        throw error;
      } finally {
        this.busy = null;
      }
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Stops background scans and the engine's worker threads. */
  dispose(): void {
    this.background.abort();
    void closeFootprintEngine();
    for (const d of this.disposables) d.dispose();
  }
}
