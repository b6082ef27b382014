/**
 * The dataset panel: one webview per file, reused when the file is analyzed again. Small files are
 * scanned exactly at once; large ones show a quick result first and refine to exact in the
 * background. The panel gets small messages (progress, result, memory plan), never a full redraw.
 */
import { availableParallelism } from 'node:os';
import * as vscode from 'vscode';
import type { Advice, MemoryInput } from '../core/footprint';
import { footprintEngine, type FootprintEngine } from '../lazyEngines';
import { formatBytes } from '../core/format';
import type { HeadroomContext } from '../headroomContext';
import type { DatasetSnippet } from '../core/footprint/viewTypes';
import { isDatasetMessage, type DatasetHostMessage, type DatasetWebviewMessage } from '../messages/dataset';
import { WebviewChannel } from '../webviewChannel';
import { panelInPlaceOf, webviewOptions, webviewPageLoad } from '../webviewHtml';
import { QUICK_FIRST_BYTES, type Analysis, type FootprintService } from '../footprintService';
import { applyPlanOrInsert, describeFailure, insertSnippet } from './editorActions';

const panels = new Map<string, DatasetPanel>();

export class DatasetPanel {
  private analysis?: Analysis;
  private advice?: Advice;
  /** The footprint engine, loaded by the first run(): it makes the advice and the view of a result. */
  private engine?: FootprintEngine;
  private workers?: number;
  private running?: AbortController;
  /** Why the last scan failed, replayed to a page that (re)loads after it: the file is not scanned again. */
  private failure?: { message: string; hint: string | null };
  private readonly disposables: vscode.Disposable[] = [];
  private readonly label: string;
  private readonly codePath: string;
  private readonly channel: WebviewChannel<DatasetHostMessage, DatasetWebviewMessage>;

  static show(headroom: HeadroomContext, analyzer: FootprintService, uri: vscode.Uri): DatasetPanel {
    const existing = panels.get(uri.fsPath);
    if (existing) {
      existing.panel.reveal(undefined, false);
      return existing;
    }
    const created = new DatasetPanel(headroom, analyzer, uri);
    panels.set(uri.fsPath, created);
    return created;
  }

  static disposeAll(): void {
    for (const p of [...panels.values()]) p.panel.dispose();
  }

  private readonly panel: vscode.WebviewPanel;

  private constructor(
    private readonly headroom: HeadroomContext,
    private readonly analyzer: FootprintService,
    private readonly uri: vscode.Uri,
    /** A panel whose page never loaded (WebviewChannel): this one takes its place and is not replaced in turn. */
    replacing?: vscode.WebviewPanel,
  ) {
    this.label = vscode.workspace.asRelativePath(uri, false);
    this.codePath = vscode.workspace.getWorkspaceFolder(uri) ? this.label : uri.fsPath;
    const { extensionUri } = headroom.context;
    const options = { ...webviewOptions(extensionUri), retainContextWhenHidden: false };
    this.panel = replacing
      ? panelInPlaceOf(replacing, options)
      : vscode.window.createWebviewPanel(
          'headroom.dataset',
          `Memory: ${uri.path.split('/').pop()}`,
          vscode.ViewColumn.Active,
          options,
        );
    this.channel = new WebviewChannel(this.panel.webview, {
      name: `The dataset panel of ${this.label}`,
      log: headroom.log,
      validate: isDatasetMessage,
      replay: () => this.replay(),
      receive: (message) => this.onMessage(message),
    });
    this.channel.load(
      webviewPageLoad(
        this.panel.webview,
        extensionUri,
        { bundle: 'dataset', title: `Memory: ${this.label}` },
        () => this.panel.visible,
        replacing ? undefined : () => this.replace(),
      ),
    );
    this.disposables.push(
      this.channel,
      // Hidden, the panel's script is gone: messages wait for it to say ready again.
      this.panel.onDidChangeViewState(() => (this.panel.visible ? this.channel.shown() : this.channel.notReady())),
      this.panel.onDidDispose(() => this.dispose()),
      analyzer.onDidChange((changed) => {
        if (changed === undefined) void this.run(true);
      }),
    );
  }

  private post(message: DatasetHostMessage): void {
    this.channel.post(message);
  }

  /** The script (re)loaded: a hidden-then-shown panel gets the current state again; a new one starts its scan. */
  private async replay(): Promise<DatasetHostMessage[]> {
    if (this.analysis && this.engine) {
      const result: DatasetHostMessage = {
        type: 'result',
        view: this.engine.datasetView(this.analysis.result, this.advice!, this.label, this.analysis.modelNote),
        refining: !!this.running,
      };
      return [result, await this.memoryMessage(this.analysis, this.engine)];
    }
    if (this.failure) return [{ type: 'error', ...this.failure }];
    if (!this.running) void this.run(false);
    return [];
  }

  private async onMessage(message: Exclude<DatasetWebviewMessage, { type: 'ready' }>): Promise<void> {
    switch (message.type) {
      case 'copy':
      case 'insert':
        return this.useSnippet(message.type, message.snippet);
      case 'refresh':
        return this.run(true);
      case 'cancel':
        this.running?.abort();
        return;
      case 'setWorkers':
        if (Number.isInteger(message.workers) && message.workers >= 1 && message.workers <= 1024) {
          this.workers = message.workers;
          await this.postMemory();
        }
        return;
    }
  }

  private async useSnippet(action: 'copy' | 'insert', which: DatasetSnippet): Promise<void> {
    const { advice, engine } = this;
    if (!advice || !engine) return;
    const source =
      which === 'code' || which === 'sparse'
        ? advice
        : engine.memoryPlan(this.analysis!.result, this.codePath, await this.memoryInput()).advice;
    const text = engine.snippet(source, which);
    if (!text) return;
    if (action === 'copy') {
      await vscode.env.clipboard.writeText(text);
      this.post({ type: 'notice', text: 'Copied to the clipboard.', snippet: which });
    } else {
      const notice =
        which === 'code' ? await applyPlanOrInsert(text, this.uri.fsPath, advice.plan) : await insertSnippet(text);
      this.post({ type: 'notice', text: notice, snippet: which });
      // The editor took the focus (and maybe the panel's place): say it where the user now looks.
      vscode.window.setStatusBarMessage(`$(check) ${notice}`, 8000);
    }
  }

  private async memoryInput(): Promise<MemoryInput> {
    const { monitor } = this.headroom;
    const sample = monitor.latest() ?? (await monitor.sampleOnce());
    const cores = sample.cpu.cores.length || availableParallelism();
    return { availableBytes: sample.memory.availableBytes, cores, workers: this.workers };
  }

  private async postMemory(): Promise<void> {
    if (this.analysis && this.engine) this.post(await this.memoryMessage(this.analysis, this.engine));
  }

  private async memoryMessage(analysis: Analysis, engine: FootprintEngine): Promise<DatasetHostMessage> {
    try {
      const memory = await this.memoryInput();
      return { type: 'memory', plan: engine.memoryPlan(analysis.result, this.codePath, memory).plan };
    } catch (error) {
      this.headroom.log.warn(`Reading available memory for the sub-sample plan failed: ${String(error)}`);
      return { type: 'memory', plan: null };
    }
  }

  private show(engine: FootprintEngine, analysis: Analysis, refining: boolean): void {
    this.analysis = analysis;
    this.advice = engine.adviseFootprint(analysis.result, { path: this.codePath });
    this.post({
      type: 'result',
      view: engine.datasetView(analysis.result, this.advice, this.label, analysis.modelNote),
      refining,
    });
    void this.postMemory();
  }

  /** Quick first for large files, then exact; with a cancellable progress notification. */
  async run(force: boolean): Promise<void> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    this.failure = undefined;
    const engine = await footprintEngine();
    this.engine = engine;
    let size: number;
    try {
      size = await this.analyzer.fileSize(this.uri);
    } catch {
      size = 0;
    }
    const cachedExact = force ? undefined : await this.analyzer.cached(this.uri, 'exact');
    if (cachedExact) {
      this.running = undefined;
      this.show(engine, cachedExact, false);
      return;
    }
    const quickFirst = size > QUICK_FIRST_BYTES;
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Headroom: analyzing ${this.label}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        const onProgress = (phase: 'quick' | 'exact') => (fraction: number) => {
          const pct = Math.round(fraction * 100);
          if (pct > reported)
            progress.report({ increment: pct - reported, message: `${phase} scan ${pct}% of ${formatBytes(size)}` });
          reported = Math.max(reported, pct);
          this.post({ type: 'loading', label: this.label, phase, fraction });
        };
        try {
          if (quickFirst) {
            this.post({ type: 'loading', label: this.label, phase: 'quick', fraction: 0 });
            this.show(engine, await this.analyzer.analyze(this.uri, 'quick', controller.signal), true);
            reported = 0;
          }
          this.post({ type: 'loading', label: this.label, phase: 'exact', fraction: 0 });
          this.show(
            engine,
            await this.analyzer.analyze(this.uri, 'exact', controller.signal, onProgress('exact')),
            false,
          );
        } catch (error) {
          const failure = describeFailure(error);
          if (failure.code === 'cancelled') {
            if (this.analysis) this.show(engine, this.analysis, false);
            this.post({
              type: 'notice',
              text: this.analysis ? 'Exact scan cancelled: showing the quick estimate.' : 'Cancelled.',
            });
            if (!this.analysis) this.fail('The scan was cancelled.', 'Press Analyze again to restart it.');
          } else {
            this.headroom.log.warn(`${this.label}: ${failure.message}`);
            this.fail(failure.message, failure.hint);
          }
        } finally {
          if (this.running === controller) this.running = undefined;
        }
      },
    );
  }

  private fail(message: string, hint: string | null): void {
    this.failure = { message, hint };
    this.post({ type: 'error', message, hint });
  }

  /** A new panel in this one's place, which starts its scan afresh when its page loads. */
  private replace(): void {
    panels.set(this.uri.fsPath, new DatasetPanel(this.headroom, this.analyzer, this.uri, this.panel));
    this.panel.dispose();
  }

  private dispose(): void {
    this.running?.abort();
    if (panels.get(this.uri.fsPath) === this) panels.delete(this.uri.fsPath);
    for (const d of this.disposables) d.dispose();
  }
}
