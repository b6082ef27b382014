/** Lightbulb quick fixes: add/merge dtype= and parse_dates=, set n_jobs=K, downcast first, run memory-aware. */
import { cpus } from 'node:os';
import * as vscode from 'vscode';
import { formatBytes } from '../core/format';
import type { TextEdit } from '../core/hints';
import { CHECK_RUNTIME_COMMAND } from '../runtime';
import { CODE_NESTED, CODE_NJOBS } from './diagnostics';
import { PICK_COMMAND } from './pickedFiles';
import type { DocumentHints, HintsService, ReadHint } from './service';
import { hintSettings } from './settings';

function workspaceEdit(document: vscode.TextDocument, edits: TextEdit[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const e of edits) {
    edit.replace(document.uri, new vscode.Range(document.positionAt(e.start), document.positionAt(e.end)), e.newText);
  }
  return edit;
}

function dtypeTitle(read: ReadHint): string {
  const a = read.applicable!;
  const parts = [Object.keys(a.dtype).length ? 'dtype=' : '', a.parseDates.length ? 'parse_dates=' : ''].filter(
    Boolean,
  );
  const what =
    read.call.fn === 'read_parquet' ? '.astype(...) after read_parquet' : `${parts.join(' and ')} to ${read.call.fn}`;
  return `Add ${what} (saves ${formatBytes(a.savedBytes)})`;
}

export class MemoryCodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly service: HintsService) {}

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const settings = hintSettings();
    if (!settings.enabled || !settings.quickFixes) return [];
    const hints = this.service.hints(document);
    if (!hints) return [];
    const { dtypeEdits, nJobsEdit } = hints.engine;
    const actions: vscode.CodeAction[] = [];
    for (const read of hints.reads) {
      if (!read.range.intersection(range) || !read.applicable || read.applicable.savedBytes <= 0) continue;
      const edits = dtypeEdits(document.getText(), read.call, read.applicable);
      if (edits.length === 0) continue;
      const action = new vscode.CodeAction(dtypeTitle(read), vscode.CodeActionKind.QuickFix);
      action.edit = workspaceEdit(document, edits);
      action.isPreferred = true;
      actions.push(action);
    }
    for (const read of hints.reads) {
      if (!read.pick || !read.range.intersection(range) || (read.state && !read.picked)) continue;
      const action = new vscode.CodeAction(
        read.picked ? 'Pick another data file for this read…' : 'Pick the data file this read opens…',
        vscode.CodeActionKind.QuickFix,
      );
      action.command = { title: action.title, command: PICK_COMMAND, arguments: [read.pick] };
      actions.push(action);
    }
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.code === CODE_NJOBS) actions.push(...this.nJobsFixes(document, diagnostic, hints));
      if (diagnostic.code === CODE_NESTED) {
        const p = hints.parallel.find(
          (x) =>
            x.oversubscription.length &&
            x.call.inner.some((i) => i.nJobs && rangeOf(document, i.nJobs.span).intersection(diagnostic.range)),
        );
        const inner = p?.call.inner.find(
          (i) => i.nJobs && rangeOf(document, i.nJobs.span).intersection(diagnostic.range),
        );
        if (inner?.nJobs) {
          const action = new vscode.CodeAction(`Set the inner ${inner.name} n_jobs=1`, vscode.CodeActionKind.QuickFix);
          action.edit = workspaceEdit(document, [nJobsEdit(inner.nJobs, 1)]);
          action.diagnostics = [diagnostic];
          actions.push(action);
        }
      }
    }
    return actions;
  }

  private nJobsFixes(
    document: vscode.TextDocument,
    diagnostic: vscode.Diagnostic,
    { parallel, engine }: DocumentHints,
  ): vscode.CodeAction[] {
    const { dtypeEdits, forecastParallel, frameFacts, nJobsEdit, wrapInHeadroomParallel } = engine;
    const actions: vscode.CodeAction[] = [];
    const p = parallel.find(
      (x) => x.call.nJobs && x.forecast && rangeOf(document, x.call.nJobs.span).intersection(diagnostic.range),
    );
    if (!p?.forecast || !p.call.nJobs) return actions;
    if (p.forecast.maxFittingJobs >= 1 && p.forecast.maxFittingJobs < p.forecast.workers) {
      const k = p.forecast.maxFittingJobs;
      const action = new vscode.CodeAction(`Set n_jobs=${k} (fits in memory)`, vscode.CodeActionKind.QuickFix);
      action.edit = workspaceEdit(document, [nJobsEdit(p.call.nJobs, k)]);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    const wrap = wrapInHeadroomParallel(document.getText(), p.call);
    if (wrap) {
      const action = new vscode.CodeAction('Run memory-aware with Headroom', vscode.CodeActionKind.QuickFix);
      action.edit = workspaceEdit(document, wrap);
      action.diagnostics = [diagnostic];
      // After the edit: offer the install when the interpreter lacks headroom_runtime.
      action.command = { command: CHECK_RUNTIME_COMMAND, title: 'Check headroom_runtime', arguments: [document.uri] };
      actions.push(action);
    }
    const read = p.dataset;
    const readDocument = p.datasetDocument;
    if (read?.applicable && read.applicable.savedBytes > 0 && read.state?.result && readDocument) {
      const edits = dtypeEdits(readDocument.getText(), read.call, read.applicable);
      if (edits.length) {
        const after = forecastParallel(
          p.call,
          frameFacts({
            ...read.state.result,
            totalBytes: read.applicable.withDtypesBytes,
            columns: plannedColumns(read),
          }),
          { cpus: cpus().length, availableBytes: p.forecast.availableBytes },
          formatBytes,
        );
        const action = new vscode.CodeAction(
          `Downcast first: ${dtypeTitle(read)}; peak ~${formatBytes(p.forecast.peakBytes)} → ~${formatBytes(after.peakBytes)}`,
          vscode.CodeActionKind.QuickFix,
        );
        action.edit = workspaceEdit(readDocument, edits);
        action.diagnostics = [diagnostic];
        actions.push(action);
      }
    }
    return actions;
  }
}

function rangeOf(document: vscode.TextDocument, span: { start: number; end: number }): vscode.Range {
  return new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
}

/** The columns as they will be once the plan is applied, for the forecast after downcasting. */
function plannedColumns(read: ReadHint) {
  const plan = read.state!.plan!;
  const applied = new Set([...Object.keys(read.applicable!.dtype), ...read.applicable!.parseDates]);
  return read.state!.result!.columns.map((c) => {
    const planned = plan.columns.find((p) => p.name === c.name);
    return planned && applied.has(c.name)
      ? {
          ...c,
          dtype: planned.plannedDtype === 'datetime' ? 'datetime64[ns]' : planned.plannedDtype,
          bytes: planned.plannedBytes,
        }
      : c;
  });
}
