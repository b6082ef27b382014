import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { forEachWorkspaceFolder, type FolderEvents } from '../../../src/workspaceFolders';

const folder = (path: string) =>
  ({ uri: { toString: () => `file://${path}` }, name: path, index: 0 }) as vscode.WorkspaceFolder;

function fakeWorkspace(initial: vscode.WorkspaceFolder[]) {
  let listener: ((e: vscode.WorkspaceFoldersChangeEvent) => void) | undefined;
  const workspace = {
    workspaceFolders: initial,
    onDidChangeWorkspaceFolders: (l: (e: vscode.WorkspaceFoldersChangeEvent) => void) => {
      listener = l;
      return { dispose: () => (listener = undefined) };
    },
  } as unknown as FolderEvents;
  const change = (added: vscode.WorkspaceFolder[], removed: vscode.WorkspaceFolder[]) => listener?.({ added, removed });
  return { workspace, change };
}

test('a folder added after activation gets its watcher; a removed one loses it', () => {
  const a = folder('/a');
  const b = folder('/b');
  const { workspace, change } = fakeWorkspace([a]);
  const live = new Set<string>();
  const all = forEachWorkspaceFolder(workspace, (f) => {
    live.add(f.uri.toString());
    return { dispose: () => live.delete(f.uri.toString()) };
  });
  assert.deepEqual([...live], ['file:///a']);
  change([b], []);
  assert.deepEqual([...live].sort(), ['file:///a', 'file:///b']);
  change([], [a]);
  assert.deepEqual([...live], ['file:///b']);
  all.dispose();
  assert.deepEqual([...live], []);
  change([a], []);
  assert.deepEqual([...live], [], 'nothing is created after dispose');
});
