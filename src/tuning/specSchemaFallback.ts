/**
 * Schema errors for YAML specs when the YAML extension (which reads `yamlValidation`) is not
 * installed: the engine's own validator, loaded on the first YAML spec opened, reports each problem
 * with its line and column. JSON specs always get VS Code's built-in schema validation instead.
 */
import * as vscode from 'vscode';
import { tuningEngine, YAML_SPEC_FILE } from '../lazyEngines';

const YAML_EXTENSION = 'redhat.vscode-yaml';
/** Fields Headroom's own checks already cover (with the exact range), not to be reported twice. */
const COVERED = new Set(['/script', '/objective', '/data']);

export function needsSchemaFallback(doc: vscode.TextDocument): boolean {
  return YAML_SPEC_FILE.test(doc.uri.fsPath) && !vscode.extensions.getExtension(YAML_EXTENSION);
}

export async function schemaDiagnostics(doc: vscode.TextDocument): Promise<vscode.Diagnostic[]> {
  const { parseSpec, SpecError } = await tuningEngine();
  try {
    parseSpec(doc.getText(), doc.uri.fsPath);
    return [];
  } catch (error) {
    if (!(error instanceof SpecError)) return [];
    return error.issues
      .filter((issue) => !COVERED.has(issue.path))
      .map((issue) => {
        const line = Math.min(Math.max(0, issue.line - 1), doc.lineCount - 1);
        const start = new vscode.Position(line, Math.max(0, issue.column - 1));
        const word = doc.getWordRangeAtPosition(start, /[^\s:,[\]{}]+/);
        const d = new vscode.Diagnostic(
          word ?? new vscode.Range(start, doc.lineAt(line).range.end),
          issue.message,
          vscode.DiagnosticSeverity.Error,
        );
        d.source = 'Headroom (spec schema)';
        return d;
      });
  }
}
