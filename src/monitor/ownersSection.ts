/**
 * The Resources view's "Memory by owner" section, host side: feeds the webview the owners' history
 * when it (re)loads and each new split while it is visible, tells the owners service when the view
 * can be seen (the crawl then follows the monitor's interval), and carries out the entries' actions.
 * Its messages (OwnersHostMessage / OwnersWebviewMessage) travel beside the view's own.
 */
import * as vscode from 'vscode';
import type { OwnersHostMessage, OwnersWebviewMessage } from '../core/monitor/ownerTypes';
import type { OwnersService } from './ownersService';

const isOwnersMessage = (m: unknown): m is OwnersWebviewMessage | { type: 'ready' } =>
  typeof m === 'object' &&
  m !== null &&
  ['ready', 'openOwnerRun', 'stopOwnerRun'].includes(String((m as { type?: unknown }).type)) &&
  ((m as { type: string }).type === 'ready' || typeof (m as { runId?: unknown }).runId === 'string');

export function attachOwnersSection(view: vscode.WebviewView, owners: OwnersService): vscode.Disposable {
  const post = (message: OwnersHostMessage) => void view.webview.postMessage(message);
  let pendingReveal: string | undefined;
  let ready = false;
  owners.setViewVisible(view.visible);
  const subscriptions = [
    view.onDidChangeVisibility(() => owners.setViewVisible(view.visible)),
    owners.onSnapshot((snapshot) => {
      if (view.visible && ready) post({ type: 'owners', snapshot });
    }),
    owners.onReveal((id) => {
      if (ready) post({ type: 'revealOwner', id });
      else pendingReveal = id;
    }),
    view.webview.onDidReceiveMessage(async (message: unknown) => {
      if (!isOwnersMessage(message)) return;
      if (message.type === 'ready') {
        ready = true;
        post({ type: 'ownersHistory', points: owners.history(), snapshot: owners.latest() ?? null });
        if (pendingReveal) post({ type: 'revealOwner', id: pendingReveal });
        pendingReveal = undefined;
      } else if (message.type === 'openOwnerRun') {
        await vscode.commands.executeCommand('headroom.openRun', message.runId);
      } else {
        await vscode.commands.executeCommand('headroom.stopRun', message.runId);
      }
    }),
  ];
  return {
    dispose() {
      owners.setViewVisible(false);
      for (const s of subscriptions) s.dispose();
    },
  };
}
