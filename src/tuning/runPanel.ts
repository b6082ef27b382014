/**
 * The run panel: one webview per run, fed a snapshot when it (re)loads and then the engine's events
 * in batches. It comes back after a window reload through its serializer (its state names the run).
 */
import * as vscode from 'vscode';
import type { HeadroomContext } from '../headroomContext';
import type { RunEvent } from '../core/tuning/events';
import {
  isRunPanelMessage,
  type RunPanelHostMessage,
  type RunPanelState,
  type RunPanelWebviewMessage,
} from '../messages/runPanel';
import { WebviewChannel } from '../webviewChannel';
import { panelInPlaceOf, webviewOptions, webviewPageLoad } from '../webviewHtml';
import type { RunManager } from './runManager';
import { isTrusted } from './trust';
import { runPanelTitle } from '../core/runView/runTree';

export const RUN_PANEL_VIEW_TYPE = 'headroom.run';
/** Events are posted at most this often; a burst of trial events becomes one message. */
const FLUSH_MS = 100;

interface OpenPanel {
  panel: vscode.WebviewPanel;
  channel: WebviewChannel<RunPanelHostMessage, RunPanelWebviewMessage>;
  runId: string;
  workspace: string;
  wasLive: boolean;
  /** Its files said `running` at the last snapshot (another process writes them). */
  diskRunning: boolean;
  buffer: RunEvent[];
  timer: NodeJS.Timeout | undefined;
}

export class RunPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly headroom: HeadroomContext,
    private readonly runs: RunManager,
  ) {
    this.subscriptions = [
      vscode.window.registerWebviewPanelSerializer(RUN_PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
      runs.onEvent(({ runId, event }) => {
        const open = this.panels.get(runId);
        if (!open || !open.panel.visible) return;
        open.buffer.push(event);
        open.timer ??= setTimeout(() => this.flush(open), FLUSH_MS);
      }),
      runs.onDidChange((runId) => {
        // A run that started or ended here since its panel loaded: send the panel a fresh picture.
        for (const open of this.panels.values()) {
          if (runs.isLive(open.runId) !== open.wasLive) this.sendSnapshot(open);
          // A run another process is writing (the CLI, a joblib search): the files changed, so did the picture.
          else if (runId === undefined && !open.wasLive && open.diskRunning) this.sendSnapshot(open);
        }
      }),
    ];
  }

  /** Opens (or reveals) the panel of a run. */
  open(runId: string): void {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const entry = this.runs.get(runId);
    if (!entry) {
      void vscode.window.showWarningMessage(`Run ${runId} is not in this workspace any more.`);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      RUN_PANEL_VIEW_TYPE,
      runPanelTitle(entry.summary),
      vscode.ViewColumn.Active,
      webviewOptions(this.headroom.context.extensionUri),
    );
    this.attach(panel, { runId, workspace: entry.workspace });
  }

  postTrust(): void {
    for (const open of this.panels.values()) this.post(open, { type: 'trust', trusted: isTrusted() });
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = state as Partial<RunPanelState> | undefined;
    if (
      !s ||
      typeof s.runId !== 'string' ||
      typeof s.workspace !== 'string' ||
      !this.runs.model(s.runId, s.workspace)
    ) {
      this.headroom.log.info(`Not restoring a run panel: its run (${String(s?.runId)}) is gone`);
      panel.dispose();
      return;
    }
    panel.webview.options = webviewOptions(this.headroom.context.extensionUri);
    this.attach(panel, { runId: s.runId, workspace: s.workspace, sort: s.sort, filter: s.filter });
  }

  /** `replacement`: the panel replaces one whose page never loaded (WebviewChannel); it is not replaced in turn. */
  private attach(panel: vscode.WebviewPanel, state: RunPanelState, replacement = false): void {
    const open: OpenPanel = {
      panel,
      channel: new WebviewChannel(panel.webview, {
        name: 'A run panel',
        log: this.headroom.log,
        validate: isRunPanelMessage,
        // The snapshot carries everything: a panel shown again (or reloaded) starts from it.
        replay: () => {
          const snapshot = this.snapshot(open);
          return snapshot ? [snapshot] : [];
        },
        supersededByReplay: ['events', 'trust'],
        receive: (message) => this.receive(open, message),
      }),
      runId: state.runId,
      workspace: state.workspace,
      wasLive: false,
      diskRunning: false,
      buffer: [],
      timer: undefined,
    };
    this.panels.set(state.runId, open);
    const model = this.runs.model(state.runId, state.workspace);
    if (model) panel.title = runPanelTitle(model.header);
    open.channel.load(
      webviewPageLoad(
        panel.webview,
        this.headroom.context.extensionUri,
        { bundle: 'run', title: panel.title, initialState: state },
        () => panel.visible,
        replacement
          ? undefined
          : () => {
              this.attach(panelInPlaceOf(panel, webviewOptions(this.headroom.context.extensionUri)), state, true);
              panel.dispose();
            },
      ),
    );
    const subscriptions = [
      open.channel,
      // Hidden, the panel's script is gone: messages wait for it to say ready again.
      panel.onDidChangeViewState(() => (panel.visible ? open.channel.shown() : open.channel.notReady())),
    ];
    panel.onDidDispose(() => {
      clearTimeout(open.timer);
      for (const s of subscriptions) s.dispose();
      if (this.panels.get(open.runId) === open) this.panels.delete(open.runId);
    });
  }

  private receive(open: OpenPanel, message: Exclude<RunPanelWebviewMessage, { type: 'ready' }>): void {
    const runId = open.runId;
    switch (message.type) {
      case 'stop':
        void vscode.commands.executeCommand('headroom.stopRun', runId);
        break;
      case 'resume':
        void vscode.commands.executeCommand('headroom.resumeRun', runId);
        break;
      case 'copyBestParams':
        void vscode.commands.executeCommand('headroom.copyBestParams', runId);
        break;
      case 'openLog':
        void vscode.commands.executeCommand('headroom.revealRunLog', runId, message.trialId);
        break;
      case 'stopTrial':
        void vscode.commands.executeCommand('headroom.stopTrial', { runId, trialId: message.trialId });
        break;
      case 'openSpec': {
        const spec = this.runs.model(runId)?.header.specPath;
        if (spec) void vscode.window.showTextDocument(vscode.Uri.file(spec));
        break;
      }
    }
  }

  private snapshot(open: OpenPanel): RunPanelHostMessage | undefined {
    const model = this.runs.model(open.runId, open.workspace);
    if (!model) return undefined;
    open.wasLive = this.runs.isLive(open.runId);
    open.diskRunning = !open.wasLive && model.header.status === 'running';
    // Events buffered before the snapshot are already in it.
    open.buffer = [];
    clearTimeout(open.timer);
    open.timer = undefined;
    return { type: 'snapshot', snapshot: model.snapshot(isTrusted()) };
  }

  private sendSnapshot(open: OpenPanel): void {
    const snapshot = this.snapshot(open);
    if (snapshot) this.post(open, snapshot);
  }

  private flush(open: OpenPanel): void {
    open.timer = undefined;
    if (open.buffer.length === 0) return;
    const events = open.buffer;
    open.buffer = [];
    this.post(open, { type: 'events', events });
  }

  private post(open: OpenPanel, message: RunPanelHostMessage): void {
    open.channel.post(message);
  }

  dispose(): void {
    for (const open of this.panels.values()) clearTimeout(open.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
