import * as vscode from 'vscode';
import type { HeadroomContext } from './headroomContext';

/** Commands that belong to no single feature. */
export function registerCommands({ context, log }: HeadroomContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('headroom.showResources', async () => {
      await vscode.commands.executeCommand('headroom.resources.focus');
    }),
    vscode.commands.registerCommand('headroom.showLogs', () => log.show(true)),
  );
}
