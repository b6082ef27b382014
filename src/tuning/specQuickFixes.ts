/** Quick fixes for Headroom's spec diagnostics: Python's `None` in params becomes YAML's `null`. */
import * as vscode from 'vscode';
import type { SpecCheckIssue } from '../core/specEditing/specChecks';

const PYTHON_NONE: SpecCheckIssue['code'] = 'python-none';

export class SpecQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const mine = context.diagnostics.filter((d) => d.source === 'Headroom' && d.code === PYTHON_NONE);
    if (mine.length === 0) return [];
    const actions = mine.map((d) => {
      const action = new vscode.CodeAction(
        'Write null (Python’s None) instead of None',
        vscode.CodeActionKind.QuickFix,
      );
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, d.range, 'null');
      action.diagnostics = [d];
      action.isPreferred = true;
      return action;
    });
    const all = vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => d.source === 'Headroom' && d.code === PYTHON_NONE);
    if (all.length > 1) {
      const fixAll = new vscode.CodeAction(
        `Write null for all ${all.length} None in this spec`,
        vscode.CodeActionKind.QuickFix,
      );
      fixAll.edit = new vscode.WorkspaceEdit();
      for (const d of all) fixAll.edit.replace(document.uri, d.range, 'null');
      fixAll.diagnostics = all;
      actions.push(fixAll);
    }
    return actions;
  }
}
