import type * as vscode from 'vscode';
import type { PandasModel } from '../core/footprint/types';
import { getPandasModel, onDidChangePandasModel } from '../pythonInterpreter';

/** The pandas model of the user's interpreter (asked once and cached by the interpreter module). */
export function loadPandasModel(resource?: vscode.Uri): Promise<PandasModel> {
  return getPandasModel(resource);
}

export { onDidChangePandasModel };
