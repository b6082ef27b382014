/**
 * Per-folder resources (file watchers) for every workspace folder: those open at activation and
 * those added later; a removed folder's are disposed with it. Takes the workspace API as an
 * argument (only its types come from vscode), so a test can drive it.
 */
import type * as vscode from 'vscode';

export type FolderEvents = Pick<typeof vscode.workspace, 'workspaceFolders' | 'onDidChangeWorkspaceFolders'>;

export function forEachWorkspaceFolder(
  workspace: FolderEvents,
  create: (folder: vscode.WorkspaceFolder) => vscode.Disposable,
): vscode.Disposable {
  const made = new Map<string, vscode.Disposable>();
  const add = (folder: vscode.WorkspaceFolder) => {
    const key = folder.uri.toString();
    if (!made.has(key)) made.set(key, create(folder));
  };
  for (const folder of workspace.workspaceFolders ?? []) add(folder);
  const listener = workspace.onDidChangeWorkspaceFolders((e) => {
    for (const folder of e.removed) {
      made.get(folder.uri.toString())?.dispose();
      made.delete(folder.uri.toString());
    }
    for (const folder of e.added) add(folder);
  });
  return {
    dispose() {
      listener.dispose();
      for (const d of made.values()) d.dispose();
      made.clear();
    },
  };
}
