// Inserting generated code where the user was typing, and turning failures into plain messages.
import * as vscode from 'vscode';
import { isFootprintError } from '../lazyEngines';
import { isDatasetPath } from './files';

/** Where the user last typed: a hidden editor's TextEditor object goes stale, so keep the document and selections. */
let last: { uri: vscode.Uri; selections: readonly vscode.Selection[]; viewColumn?: vscode.ViewColumn } | undefined;

function remember(editor: vscode.TextEditor | undefined): void {
  // Code goes into code: not into the output channel, nor into the dataset file being analyzed.
  if (!editor || editor.document.uri.scheme === 'output' || isDatasetPath(editor.document.uri.path)) return;
  last = { uri: editor.document.uri, selections: editor.selections, viewColumn: editor.viewColumn };
}

/** Remembers the last text editor and its cursor, since focusing a webview panel clears activeTextEditor. */
export function trackLastEditor(): vscode.Disposable {
  remember(vscode.window.activeTextEditor);
  return vscode.Disposable.from(
    vscode.window.onDidChangeActiveTextEditor(remember),
    vscode.window.onDidChangeTextEditorSelection((e) => remember(e.textEditor)),
  );
}

/** The snippet as its own lines at the cursor, indented like the cursor's line when it starts in indentation. */
function fitToLine(document: vscode.TextDocument, at: vscode.Selection, text: string): string {
  const before = document.lineAt(at.start.line).text.slice(0, at.start.character);
  const after = document.lineAt(at.end.line).text.slice(at.end.character);
  const indent = /^\s*$/.test(before) ? before : '';
  let out = text.replace(/\n(?=.)/g, `\n${indent}`);
  if (!indent && before.length > 0) out = `\n${out}`;
  if (after.trim().length > 0) out = `${out}\n${indent}`;
  return out;
}

/** Inserts at the cursor of the last editor whose document is still open, else in a new Python file. */
export async function insertSnippet(text: string): Promise<string> {
  const document =
    last && vscode.workspace.textDocuments.find((d) => d.uri.toString() === last!.uri.toString() && !d.isClosed);
  if (last && document) {
    const editor = await vscode.window.showTextDocument(document, {
      viewColumn: last.viewColumn,
      preserveFocus: false,
    });
    const selections = last.selections
      .map((s) => document.validateRange(s))
      .map((r) => new vscode.Selection(r.start, r.end));
    const ok = await editor.edit((edit) => {
      for (const selection of selections) edit.replace(selection, fitToLine(document, selection, text));
    });
    if (ok) return `Inserted into ${vscode.workspace.asRelativePath(document.uri)}.`;
  }
  const untitled = await vscode.workspace.openTextDocument({ language: 'python', content: `${text}\n` });
  await vscode.window.showTextDocument(untitled, vscode.ViewColumn.Beside);
  return 'No editor was open: the code is in a new Python file.';
}

export function describeFailure(error: unknown): { code: string; message: string; hint: string | null } {
  if (isFootprintError(error)) return { code: error.code, message: error.message, hint: error.hint ?? null };
  if (error instanceof Error && error.name === 'AbortError')
    return { code: 'cancelled', message: 'Cancelled', hint: null };
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'internal',
    message: `Analyzing the file failed: ${message}`,
    hint: 'See Headroom: Show Logs for details.',
  };
}
