/** n_jobs memory warnings and nested-parallelism diagnostics in the Problems panel. */
import * as vscode from 'vscode';
import type { HintsService } from './service';
import { hintSettings, isPythonDocument } from './settings';

export const DIAGNOSTIC_SOURCE = 'Headroom';
export const CODE_NJOBS = 'n_jobs-memory';
export const CODE_NESTED = 'nested-parallelism';

export class HintDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('headroom-hints');

  constructor(private readonly service: HintsService) {}

  update(document: vscode.TextDocument): void {
    if (!isPythonDocument(document)) return;
    const settings = hintSettings();
    if (!settings.enabled || (!settings.nJobs && !settings.nestedParallelism)) {
      this.collection.delete(document.uri);
      return;
    }
    const hints = this.service.hints(document);
    if (!hints) return;
    const { nJobsWarning, oversubscriptionMessage } = hints.engine;
    const diagnostics: vscode.Diagnostic[] = [];
    for (const p of hints.parallel) {
      const nJobs = p.call.nJobs;
      // None once the work runs on Headroom's backend (`with hr.parallel():`, what its quick fix writes).
      const warning = settings.nJobs && nJobs ? nJobsWarning(p.call, p.forecast) : undefined;
      if (warning && nJobs) {
        const range = new vscode.Range(document.positionAt(nJobs.span.start), document.positionAt(nJobs.span.end));
        const d = new vscode.Diagnostic(range, warning, vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = CODE_NJOBS;
        diagnostics.push(d);
      }
      if (!settings.nestedParallelism) continue;
      for (const o of p.oversubscription) {
        const inner = p.call.inner.find((i) => i.name === o.inner && i.nJobs);
        const span = inner?.nJobs?.span ?? p.call.calleeSpan;
        const range = new vscode.Range(document.positionAt(span.start), document.positionAt(span.end));
        const d = new vscode.Diagnostic(range, oversubscriptionMessage(o), vscode.DiagnosticSeverity.Warning);
        d.source = DIAGNOSTIC_SOURCE;
        d.code = CODE_NESTED;
        diagnostics.push(d);
      }
    }
    this.collection.set(document.uri, diagnostics);
  }

  clear(document: vscode.TextDocument): void {
    this.collection.delete(document.uri);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
