import * as vscode from 'vscode';
import type { HeadroomContext } from './headroomContext';
import { isMessageOf, type ResourcesHostMessage, type ResourcesWebviewMessage, type TrialUsage } from './protocol';
import { renderWebviewHtml, webviewOptions } from './webviewHtml';
import { attachOwnersSection } from './monitor/ownersSection';

/** Lets other features (the tuning runs) list their running trials in the Resources view. */
export interface ResourcesView {
  showTrials(trials: TrialUsage[]): void;
}

/**
 * The "Resources" webview view: live charts fed one sample per message. The host keeps the
 * history, so the charts come back whole when the view is hidden and shown again.
 */
export function registerResourcesView({
  context,
  monitor,
  owners,
}: Pick<HeadroomContext, 'context' | 'monitor' | 'owners'>): ResourcesView {
  let view: vscode.WebviewView | undefined;
  let trials: TrialUsage[] = [];
  const post = (message: ResourcesHostMessage) => void view?.webview.postMessage(message);

  const provider: vscode.WebviewViewProvider = {
    resolveWebviewView(webviewView) {
      view = webviewView;
      const { webview } = webviewView;
      webview.options = webviewOptions(context.extensionUri);
      webview.html = renderWebviewHtml(webview, context.extensionUri, { bundle: 'resources', title: 'Resources' });
      // Full samples (GPUs too) only while the view can be seen.
      const consumer = monitor.register(webviewView.visible ? 'full' : 'off');
      const subscriptions = [
        consumer,
        attachOwnersSection(webviewView, owners),
        webviewView.onDidChangeVisibility(() => consumer.setDetail(webviewView.visible ? 'full' : 'off')),
        monitor.onSample((sample) => {
          if (webviewView.visible) post({ type: 'sample', sample });
        }),
        vscode.workspace.onDidChangeConfiguration((e) => {
          if (e.affectsConfiguration('headroom.monitor')) {
            post({ type: 'settings', historySeconds: monitor.historySeconds, intervalMs: monitor.intervalMs });
          }
        }),
        webview.onDidReceiveMessage((message: unknown) => {
          if (!isMessageOf<ResourcesWebviewMessage>(message, ['ready', 'openSettings'])) return;
          if (message.type === 'ready') {
            post({
              type: 'init',
              history: monitor.samples(),
              historySeconds: monitor.historySeconds,
              intervalMs: monitor.intervalMs,
            });
            if (trials.length > 0) post({ type: 'trials', trials });
          } else {
            void vscode.commands.executeCommand('workbench.action.openSettings', 'headroom.monitor');
          }
        }),
      ];
      webviewView.onDidDispose(() => {
        for (const s of subscriptions) s.dispose();
        if (view === webviewView) view = undefined;
      });
    },
  };
  context.subscriptions.push(vscode.window.registerWebviewViewProvider('headroom.resources', provider));
  return {
    showTrials(next) {
      trials = next;
      post({ type: 'trials', trials });
    },
  };
}
