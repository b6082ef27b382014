/**
 * The Resources view's "Memory by owner" section, host side. Its messages travel on the view's one
 * WebviewChannel (src/resourcesView.ts; contract in src/messages/resources.ts): this feeds the
 * channel each new split while the view is visible, gives the channel what the section needs whole
 * when the webview (re)loads (`replay`), tells the owners service when the view can be seen (the
 * crawl then follows the monitor's interval), and carries out the entries' actions (`receive`).
 */
import * as vscode from 'vscode';
import type { OwnersHostMessage, OwnersWebviewMessage } from '../messages/resources';
import type { OwnersService } from './ownersService';

export interface OwnersSection extends vscode.Disposable {
  /** For the channel's replay on ready: the owners' history and latest split, and a reveal asked for moments ago (the view may have been loading). */
  replay(): OwnersHostMessage[];
  receive(message: OwnersWebviewMessage): Promise<void>;
}

/** Kept messages the replay makes stale (the channel drops them on ready). */
export const OWNERS_SUPERSEDED_BY_REPLAY: OwnersHostMessage['type'][] = ['owners', 'revealOwner'];

export function attachOwnersSection(
  view: vscode.WebviewView,
  owners: OwnersService,
  post: (message: OwnersHostMessage) => void,
): OwnersSection {
  owners.setViewVisible(view.visible);
  const subscriptions = [
    view.onDidChangeVisibility(() => owners.setViewVisible(view.visible)),
    owners.onSnapshot((snapshot) => {
      if (view.visible) post({ type: 'owners', snapshot });
    }),
    owners.onReveal((id) => post({ type: 'revealOwner', id })),
  ];
  return {
    replay() {
      const reveal = owners.recentReveal();
      return [
        { type: 'ownersHistory', points: owners.history(), snapshot: owners.latest() ?? null },
        ...(reveal ? [{ type: 'revealOwner' as const, id: reveal }] : []),
      ];
    },
    async receive(message) {
      const command = message.type === 'openOwnerRun' ? 'headroom.openRun' : 'headroom.stopRun';
      await vscode.commands.executeCommand(command, message.runId);
    },
    dispose() {
      owners.setViewVisible(false);
      for (const s of subscriptions) s.dispose();
    },
  };
}
