import * as vscode from 'vscode';
import type { HeadroomContext } from './headroomContext';
import {
  isResourcesMessage,
  type ResourcesHostMessage,
  type ResourcesWebviewMessage,
  type TrialUsage,
  type ClusterView,
} from './messages/resources';
import { WebviewChannel } from './webviewChannel';
import { webviewOptions, webviewPageLoad } from './webviewHtml';
import { attachOwnersSection, OWNERS_SUPERSEDED_BY_REPLAY } from './monitor/ownersSection';

/** Lets other features (the tuning runs) list their running trials in the Resources view. */
export interface ResourcesView {
  showTrials(trials: TrialUsage[]): void;
  /** The Ray clusters of live runs (empty: none). */
  showClusters(clusters: ClusterView[]): void;
}

/**
 * The "Resources" webview view: live charts fed one sample per message. The host keeps the
 * history, so the charts come back whole when the view is hidden and shown again.
 */
export function registerResourcesView({
  context,
  log,
  monitor,
  owners,
}: Pick<HeadroomContext, 'context' | 'log' | 'monitor' | 'owners'>): ResourcesView {
  let channel: WebviewChannel<ResourcesHostMessage, ResourcesWebviewMessage> | undefined;
  let trials: TrialUsage[] = [];
  let clusters: ClusterView[] = [];
  const post = (message: ResourcesHostMessage) => channel?.post(message);

  const provider: vscode.WebviewViewProvider = {
    resolveWebviewView(webviewView) {
      const { webview } = webviewView;
      const own = new WebviewChannel<ResourcesHostMessage, ResourcesWebviewMessage>(webview, {
        name: 'The Resources view',
        log,
        validate: isResourcesMessage,
        // The host keeps the history: a view shown again gets it whole.
        replay: () => [
          {
            type: 'init',
            history: monitor.samples(),
            historySeconds: monitor.historySeconds,
            intervalMs: monitor.intervalMs,
          },
          ...(trials.length > 0 ? [{ type: 'trials' as const, trials }] : []),
          ...(clusters.length > 0 ? [{ type: 'clusters' as const, clusters }] : []),
          ...ownersSection.replay(),
        ],
        supersededByReplay: ['sample', 'settings', 'trials', 'clusters', ...OWNERS_SUPERSEDED_BY_REPLAY],
        receive: (message) =>
          message.type === 'openSettings'
            ? void vscode.commands.executeCommand('workbench.action.openSettings', 'headroom.monitor')
            : ownersSection.receive(message),
      });
      const ownersSection = attachOwnersSection(webviewView, owners, (message) => own.post(message));
      channel = own;
      webview.options = webviewOptions(context.extensionUri);
      own.load(
        webviewPageLoad(
          webview,
          context.extensionUri,
          { bundle: 'resources', title: 'Resources' },
          () => webviewView.visible,
        ),
      );
      // Full samples (GPUs too) only while the view can be seen.
      const consumer = monitor.register(webviewView.visible ? 'full' : 'off');
      const subscriptions = [
        own,
        consumer,
        ownersSection,
        webviewView.onDidChangeVisibility(() => {
          consumer.setDetail(webviewView.visible ? 'full' : 'off');
          if (webviewView.visible) own.shown();
          else own.notReady();
        }),
        monitor.onSample((sample) => {
          if (webviewView.visible) post({ type: 'sample', sample });
        }),
        vscode.workspace.onDidChangeConfiguration((e) => {
          if (e.affectsConfiguration('headroom.monitor')) {
            post({ type: 'settings', historySeconds: monitor.historySeconds, intervalMs: monitor.intervalMs });
          }
        }),
      ];
      webviewView.onDidDispose(() => {
        for (const s of subscriptions) s.dispose();
        if (channel === own) channel = undefined;
      });
    },
  };
  context.subscriptions.push(vscode.window.registerWebviewViewProvider('headroom.resources', provider));
  return {
    showTrials(next) {
      trials = next;
      post({ type: 'trials', trials });
    },
    showClusters(next) {
      clusters = next;
      post({ type: 'clusters', clusters });
    },
  };
}
