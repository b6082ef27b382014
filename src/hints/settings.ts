import * as vscode from 'vscode';

/** `headroom.hints.*`: each hint type can be turned off. */
export interface HintSettings {
  enabled: boolean;
  style: 'inlay' | 'codelens';
  memory: boolean;
  hover: boolean;
  quickFixes: boolean;
  nJobs: boolean;
  nestedParallelism: boolean;
  refineToExact: boolean;
}

export function hintSettings(): HintSettings {
  const c = vscode.workspace.getConfiguration('headroom.hints');
  return {
    enabled: c.get('enabled', true),
    style: c.get<string>('style', 'inlay') === 'codelens' ? 'codelens' : 'inlay',
    memory: c.get('memory', true),
    hover: c.get('hover', true),
    quickFixes: c.get('quickFixes', true),
    nJobs: c.get('nJobs', true),
    nestedParallelism: c.get('nestedParallelism', true),
    refineToExact: c.get('refineToExact', true),
  };
}

/** Python files (saved or not) and the Python cells of notebooks; nothing else. */
export const PYTHON_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { language: 'python', scheme: 'vscode-notebook-cell' },
];

export function isPythonDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(PYTHON_SELECTOR, document) > 0;
}
