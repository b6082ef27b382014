/**
 * Editing a NAME.tune.yaml|yml|json: a CodeLens "Run" / "Resume" / "Stop" at the top, and Headroom's
 * own diagnostics for what the JSON Schema cannot say (script missing, objective function not
 * found, memoryPerTrial larger than the machine). Schema validation and completion come from the
 * `jsonValidation` / `yamlValidation` contributions.
 */
import { readFileSync, statSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { HeadroomContext } from '../headroomContext';
import { SPEC_FILE, SPEC_GLOB, specChecks, type SpecChecks } from '../lazyEngines';
import { finishedOf } from '../core/runView/runTree';
import { runStatusText } from '../core/runView/reasons';
import type { RunManager } from './runManager';
import { needsSchemaFallback, schemaDiagnostics } from './specSchemaFallback';
import { SpecQuickFixes } from './specQuickFixes';
import { isTrusted } from './trust';

export const SPEC_SELECTOR: vscode.DocumentSelector = [{ scheme: 'file', pattern: SPEC_GLOB }];

const isSpec = (doc: vscode.TextDocument) => doc.uri.scheme === 'file' && SPEC_FILE.test(doc.uri.fsPath);

class SpecCodeLens implements vscode.CodeLensProvider {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;

  constructor(private readonly runs: RunManager) {}

  refresh(): void {
    this.emitter.fire();
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    if (!isTrusted()) {
      return [
        new vscode.CodeLens(top, {
          title: '$(shield) Tuning runs are off in Restricted Mode',
          command: 'headroom.startTuningRun',
          arguments: [doc.uri],
          tooltip: 'Trust the workspace to run tuning: runs execute its Python code.',
        }),
      ];
    }
    const lenses = [
      new vscode.CodeLens(top, {
        title: '$(play) Run',
        command: 'headroom.startTuningRun',
        arguments: [doc.uri],
        tooltip: 'Start a tuning run of this spec',
      }),
    ];
    const mine = this.runs.list().filter((e) => e.summary.specPath === doc.uri.fsPath);
    const live = mine.find((e) => e.live);
    if (live) {
      lenses.push(
        new vscode.CodeLens(top, {
          title: '$(preview) Open Run',
          command: 'headroom.openRun',
          arguments: [live.summary.runId],
        }),
        new vscode.CodeLens(top, {
          title: '$(debug-stop) Stop',
          command: 'headroom.stopRun',
          arguments: [live.summary.runId],
        }),
      );
      return lenses;
    }
    // The newest run that can continue (interrupted by a reload, stopped, or failed part-way).
    const resumable = mine.find((e) => e.summary.status === 'interrupted' || e.summary.status === 'stopped');
    if (resumable) {
      const s = resumable.summary;
      lenses.push(
        new vscode.CodeLens(top, {
          title: `$(debug-continue) Resume (${runStatusText(s.status)}, ${finishedOf(s.counts)}/${s.total})`,
          command: 'headroom.resumeRun',
          arguments: [s.runId],
          tooltip: `Continue run ${s.runId}, skipping its finished trials`,
        }),
      );
    }
    return lenses;
  }
}

export function registerSpecEditing(headroom: HeadroomContext, runs: RunManager): { refreshLenses(): void } {
  const { context, monitor } = headroom;
  const diagnostics = vscode.languages.createDiagnosticCollection('headroom-tune');
  const lens = new SpecCodeLens(runs);
  const timers = new Map<string, NodeJS.Timeout>();

  const check = (doc: vscode.TextDocument) => {
    if (!isSpec(doc)) return;
    specChecks().then(
      ({ checkSpec }) => {
        if (!doc.isClosed) checkWith(checkSpec, doc);
      },
      (error: unknown) => headroom.log.warn(`Checking ${doc.uri.fsPath} failed: ${String(error)}`),
    );
  };
  const checkWith = (checkSpec: SpecChecks['checkSpec'], doc: vscode.TextDocument) => {
    const issues = checkSpec(doc.getText(), {
      specDir: dirname(doc.uri.fsPath),
      join,
      totalMemoryBytes: monitor.latest()?.memory.totalBytes ?? totalmem(),
      files: {
        isFile: (p) => {
          try {
            return statSync(p).isFile();
          } catch {
            return false;
          }
        },
        read: (p) => {
          try {
            return readFileSync(p, 'utf8');
          } catch {
            return undefined;
          }
        },
      },
    });
    const semantic = issues.map((issue) => {
      const d = new vscode.Diagnostic(
        new vscode.Range(doc.positionAt(issue.start), doc.positionAt(issue.end)),
        issue.message,
        issue.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'Headroom';
      d.code = issue.code;
      return d;
    });
    diagnostics.set(doc.uri, semantic);
    if (!needsSchemaFallback(doc)) return;
    const version = doc.version;
    schemaDiagnostics(doc).then(
      (schema) => {
        if (doc.version === version && !doc.isClosed) diagnostics.set(doc.uri, [...semantic, ...schema]);
      },
      (error: unknown) =>
        headroom.log.warn(`Validating ${doc.uri.fsPath} against the spec schema failed: ${String(error)}`),
    );
  };
  const schedule = (doc: vscode.TextDocument) => {
    if (!isSpec(doc)) return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => (timers.delete(key), check(doc)), 300),
    );
  };

  for (const doc of vscode.workspace.textDocuments) check(doc);
  let lensTimer: NodeJS.Timeout | undefined;
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerCodeLensProvider(SPEC_SELECTOR, lens),
    vscode.languages.registerCodeActionsProvider(SPEC_SELECTOR, new SpecQuickFixes(), {
      providedCodeActionKinds: SpecQuickFixes.kinds,
    }),
    vscode.workspace.onDidOpenTextDocument(check),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => diagnostics.delete(doc.uri)),
    // A script created or deleted next to the spec changes the verdict.
    vscode.workspace.onDidCreateFiles(() => vscode.workspace.textDocuments.forEach(check)),
    vscode.workspace.onDidDeleteFiles(() => vscode.workspace.textDocuments.forEach(check)),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (doc.uri.fsPath.endsWith('.py')) vscode.workspace.textDocuments.forEach(check);
    }),
    runs.onDidChange((runId) => {
      // Lenses follow the runs' state (running / resumable), not every trial.
      if (runId === undefined) lensTimer ??= setTimeout(() => ((lensTimer = undefined), lens.refresh()), 300);
    }),
    { dispose: () => [...timers.values(), lensTimer].forEach((t) => clearTimeout(t)) },
  );
  return { refreshLenses: () => lens.refresh() };
}
