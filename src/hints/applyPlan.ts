/**
 * Applying a dataset's downcast plan to a read call that is already in the user's code, instead of
 * pasting a second `import pandas as pd` and a new `df = ...` (the dataset panel's "Insert at
 * cursor"). An internal command, so the datasets feature needs nothing of the hints feature but its
 * name: it hands the document, the dataset file and the plan; the read call whose path resolves to
 * that file (the one nearest the cursor when there are several) gets the same edit as the quick fix.
 */
import { realpathSync } from 'node:fs';
import * as vscode from 'vscode';
import type { DowncastPlan } from '../core/footprint/advice';
import type { HintsService } from './service';

export const APPLY_PLAN_COMMAND = 'headroom.applyPlanToReadCall';

export interface ApplyPlanResult {
  /** applied: the call was edited; already: it has the plan's dtypes; none: no read of that file here. */
  status: 'applied' | 'already' | 'none';
  fn?: string;
  /** 1-based line of the call. */
  line?: number;
}

const samePath = (a: string, b: string): boolean => {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  return a === b || real(a) === real(b);
};

/** The document's hints; the parser may still be loading when the panel asks (first Python file of the session). */
async function hintsOf(service: HintsService, document: vscode.TextDocument) {
  for (let waited = 0; waited < 5000; waited += 100) {
    const hints = service.hints(document);
    if (hints) return hints;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}

export function registerApplyPlan(service: HintsService): vscode.Disposable {
  return vscode.commands.registerCommand(
    APPLY_PLAN_COMMAND,
    async (uri: string, datasetPath: string, plan: DowncastPlan, cursorLine = 0): Promise<ApplyPlanResult> => {
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri && !d.isClosed);
      const hints = document ? await hintsOf(service, document) : undefined;
      const reads = (hints?.reads ?? []).filter((r) => r.resolution?.found && samePath(r.resolution.file, datasetPath));
      if (!document || !hints || reads.length === 0) return { status: 'none' };
      const { applicablePlan, dtypeEdits } = hints.engine;
      const read = reads.reduce((best, r) =>
        Math.abs(r.range.start.line - cursorLine) < Math.abs(best.range.start.line - cursorLine) ? r : best,
      );
      const result = { fn: read.call.fn, line: read.range.start.line + 1 };
      const edits = dtypeEdits(document.getText(), read.call, applicablePlan(read.call, plan));
      if (edits.length === 0) return { status: 'already', ...result };
      const edit = new vscode.WorkspaceEdit();
      for (const e of edits)
        edit.replace(
          document.uri,
          new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)),
          e.newText,
        );
      if (!(await vscode.workspace.applyEdit(edit))) return { status: 'none' };
      const editor = await vscode.window.showTextDocument(document, { preserveFocus: false });
      editor.revealRange(read.range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
      editor.selection = new vscode.Selection(read.range.start, read.range.start);
      return { status: 'applied', ...result };
    },
  );
}
