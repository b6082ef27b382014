import * as vscode from 'vscode';

export { hintSettings, type HintSettings } from '../config';

/** Python files (saved or not) and the Python cells of notebooks; nothing else. */
export const PYTHON_SELECTOR: vscode.DocumentSelector = [
  { language: 'python', scheme: 'file' },
  { language: 'python', scheme: 'untitled' },
  { language: 'python', scheme: 'vscode-notebook-cell' },
];

export function isPythonDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match(PYTHON_SELECTOR, document) > 0;
}
