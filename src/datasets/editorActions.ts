// Inserting generated code where the user was typing, and turning failures into plain messages.
import * as vscode from 'vscode';
import type { DowncastPlan } from '../core/footprint/advice';
import { APPLY_PLAN_COMMAND, type ApplyPlanResult } from '../hints/applyPlan';
import { dropExistingImports, isFootprintError } from '../lazyEngines';
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

/**
 * "Insert at cursor" of the plan: when the last editor already reads this dataset, its read call gets
 * the plan's dtype=/parse_dates= (the quick fix's edit) instead of a second import and a new `df =`.
 */
export async function applyPlanOrInsert(text: string, datasetPath: string, plan: DowncastPlan): Promise<string> {
  const document = lastDocument();
  if (last && document) {
    const result = await vscode.commands
      .executeCommand<ApplyPlanResult>(
        APPLY_PLAN_COMMAND,
        document.uri.toString(),
        datasetPath,
        plan,
        last.selections[0]?.active.line ?? 0,
      )
      .then(
        (r) => r,
        () => undefined,
      );
    const where = `${result?.fn} on line ${result?.line} of ${vscode.workspace.asRelativePath(document.uri)}`;
    if (result?.status === 'applied') return `Applied the plan to ${where}.`;
    if (result?.status === 'already') return `${where} already has the plan's dtypes: nothing to change.`;
  }
  return insertSnippet(text);
}

function lastDocument(): vscode.TextDocument | undefined {
  return last && vscode.workspace.textDocuments.find((d) => d.uri.toString() === last!.uri.toString() && !d.isClosed);
}

/** Inserts at the cursor of the last editor whose document is still open, else in a new Python file. */
export async function insertSnippet(snippet: string): Promise<string> {
  const document = lastDocument();
  if (last && document) {
    // Imports the file already has are not repeated.
    const text = dropExistingImports(snippet, document.getText());
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
  const untitled = await vscode.workspace.openTextDocument({ language: 'python', content: `${snippet}\n` });
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
