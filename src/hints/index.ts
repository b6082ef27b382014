/**
 * Inline dataset memory hints and n_jobs memory warnings in Python files and notebook cells.
 * Registration is cheap: the parser, the pandas model and the footprints load on first use.
 */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { HeadroomContext } from '../headroomContext';
import { registerApplyPlan } from './applyPlan';
import { MemoryCodeActions } from './codeActions';
import { HintDiagnostics } from './diagnostics';
import { MemoryCodeLenses, MemoryHover, MemoryInlayHints } from './providers';
import { PickedDataFiles } from './pickedFiles';
import { HintsService } from './service';
import { isPythonDocument, PYTHON_SELECTOR } from './settings';
import { READ_CALL_DATA_GLOB } from '../lazyEngines';

const DIAGNOSTICS_DELAY_MS = 300;

export function registerHints(headroom: HeadroomContext): void {
  const { context } = headroom;
  const picked = new PickedDataFiles(context.workspaceState);
  const service = new HintsService(headroom, picked);
  const diagnostics = new HintDiagnostics(service);
  const inlay = new MemoryInlayHints(service);
  const lenses = new MemoryCodeLenses(service);
  context.subscriptions.push(
    picked.register(),
    service,
    diagnostics,
    registerApplyPlan(service),
    vscode.languages.registerInlayHintsProvider(PYTHON_SELECTOR, inlay),
    vscode.languages.registerCodeLensProvider(PYTHON_SELECTOR, lenses),
    vscode.languages.registerHoverProvider(PYTHON_SELECTOR, new MemoryHover(service)),
    vscode.languages.registerCodeActionsProvider(PYTHON_SELECTOR, new MemoryCodeActions(service), {
      providedCodeActionKinds: MemoryCodeActions.kinds,
    }),
  );

  const pending = new Map<string, NodeJS.Timeout>();
  const scheduleDiagnostics = (document: vscode.TextDocument, delay = DIAGNOSTICS_DELAY_MS) => {
    if (!isPythonDocument(document)) return;
    const key = document.uri.toString();
    clearTimeout(pending.get(key));
    pending.set(
      key,
      setTimeout(() => {
        pending.delete(key);
        diagnostics.update(document);
      }, delay),
    );
  };
  const refreshOpen = () => vscode.workspace.textDocuments.forEach((d) => scheduleDiagnostics(d, 50));

  context.subscriptions.push(
    service.onDidChange(refreshOpen),
    vscode.workspace.onDidOpenTextDocument((d) => scheduleDiagnostics(d, 0)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!isPythonDocument(e.document)) return;
      service.noteChanges(e);
      scheduleDiagnostics(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => {
      service.forget(d);
      diagnostics.clear(d);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      const relevant = ['headroom.hints', 'headroom.python', 'headroom.footprint', 'editor.inlayHints.maximumLength'];
      if (!relevant.some((section) => e.affectsConfiguration(section))) return;
      inlay.refresh();
      lenses.refresh();
      refreshOpen();
    }),
    { dispose: () => pending.forEach((t) => clearTimeout(t)) },
  );

  // A data file that changes on disk gets sized again, and its hints refresh.
  const watcher = vscode.workspace.createFileSystemWatcher(READ_CALL_DATA_GLOB);
  const invalidate = (uri: vscode.Uri) => {
    headroom.log.debug(`hints: ${basename(uri.fsPath)} changed on disk`);
    service.footprints.invalidate(uri.fsPath);
    service.fireChanged();
  };
  context.subscriptions.push(
    watcher,
    watcher.onDidChange(invalidate),
    watcher.onDidCreate(invalidate),
    watcher.onDidDelete(invalidate),
  );
  refreshOpen();
}
