/**
 * Workspace Trust: tuning runs execute the workspace's Python code, so in an untrusted workspace the
 * tuning commands explain why they are off (and how to turn them on) instead of running. Dataset
 * footprints and resource monitoring stay available. The `headroom.tuningTrusted` context key drives
 * menus and CodeLens.
 */
import * as vscode from 'vscode';

export const UNTRUSTED_MESSAGE =
  "Tuning runs are disabled in Restricted Mode: they execute this workspace's Python code. Trust the workspace to run them; dataset footprints and resource monitoring work either way.";

export function isTrusted(): boolean {
  return vscode.workspace.isTrusted;
}

/** Shows the explanation (with a button to manage trust) and returns false when the workspace is untrusted. */
export async function requireTrust(log: vscode.LogOutputChannel, what: string): Promise<boolean> {
  if (vscode.workspace.isTrusted) return true;
  log.warn(`${what} refused: the workspace is not trusted (Restricted Mode).`);
  const manage = 'Manage Workspace Trust';
  const choice = await vscode.window.showWarningMessage(UNTRUSTED_MESSAGE, manage);
  if (choice === manage) await vscode.commands.executeCommand('workbench.trust.manage');
  return false;
}

/** Keeps the context key current and tells listeners when trust is granted (it is never revoked in a session). */
export function watchTrust(context: vscode.ExtensionContext, onGranted: () => void): void {
  const set = () =>
    void vscode.commands.executeCommand('setContext', 'headroom.tuningTrusted', vscode.workspace.isTrusted);
  set();
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      set();
      onGranted();
    }),
  );
}
