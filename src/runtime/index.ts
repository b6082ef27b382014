/**
 * Headroom's Python runtime in the user's interpreter: "Headroom: Install Python Runtime" (pip from the
 * files shipped in the extension, offline), the check that follows the "Run memory-aware with Headroom"
 * quick fix (offering the install where the interpreter lacks the runtime), and HEADROOM_WORKSPACE in
 * integrated terminals so a search run there is recorded in this workspace's Runs view.
 */
import * as vscode from 'vscode';
import { runtimeInstaller } from '../lazyEngines';
import type { HeadroomContext } from '../headroomContext';

export const INSTALL_RUNTIME_COMMAND = 'headroom.installPythonRuntime';
export const CHECK_RUNTIME_COMMAND = 'headroom.checkPythonRuntime';

export function registerRuntime({ context, log, python: environment }: HeadroomContext): void {
  const resolvePythonPath = async (resource?: vscode.Uri): Promise<string> =>
    (await environment.resolve(resource)).path;
  const install = async (resource?: vscode.Uri): Promise<boolean> => {
    const python = await resolvePythonPath(resource ?? vscode.window.activeTextEditor?.document.uri);
    const version = String((context.extension.packageJSON as { version: string }).version);
    try {
      const { installRuntime, runtimeSourceDir, runtimeStatus } = await runtimeInstaller();
      const sourceDir = runtimeSourceDir();
      const result = await vscode.window.withProgress(
        {
          location: vscode.ProgressLocation.Notification,
          title: `Installing headroom_runtime ${version} into ${python}…`,
        },
        () => installRuntime({ python, sourceDir, version }),
      );
      log.info(
        `Installed headroom_runtime ${version} into ${python} (Python ${result.pythonVersion}):\n${result.output.trim()}`,
      );
      const status = await runtimeStatus(python);
      const note = status.joblib
        ? ''
        : ' joblib is missing there: `with hr.parallel():` needs it (scikit-learn brings it).';
      void vscode.window.showInformationMessage(`Installed headroom_runtime ${version} into ${python}.${note}`);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log.error(`Installing headroom_runtime into ${python} failed: ${message}`);
      const choice = await vscode.window.showErrorMessage(`Headroom: ${message}`, 'Show Logs');
      if (choice === 'Show Logs') log.show(true);
      return false;
    }
  };

  /** After the quick fix: does the interpreter that will run this file have the runtime? Offer it if not. */
  const check = async (resource?: vscode.Uri): Promise<void> => {
    const python = await resolvePythonPath(resource);
    try {
      const status = await (await runtimeInstaller()).runtimeStatus(python);
      if (status.version) return;
      const choice = await vscode.window.showWarningMessage(
        `headroom_runtime is not installed in ${python}, so \`import headroom_runtime\` will fail there. Install it from the extension (offline)?`,
        'Install',
      );
      if (choice === 'Install') await install(resource);
    } catch (error) {
      log.warn(`Checking headroom_runtime in ${python} failed: ${String(error)}`);
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(INSTALL_RUNTIME_COMMAND, (resource?: vscode.Uri) => install(resource)),
    vscode.commands.registerCommand(CHECK_RUNTIME_COMMAND, (resource?: vscode.Uri) => check(resource)),
  );

  // Terminals of a single-folder workspace record joblib searches in it, wherever the script lives.
  const terminals = context.environmentVariableCollection;
  terminals.description = 'Headroom: records memory-aware joblib searches in this workspace (HEADROOM_WORKSPACE)';
  const updateTerminals = () => {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    if (folders.length === 1) terminals.replace('HEADROOM_WORKSPACE', folders[0].uri.fsPath);
    else terminals.delete('HEADROOM_WORKSPACE');
  };
  updateTerminals();
  context.subscriptions.push(vscode.workspace.onDidChangeWorkspaceFolders(updateTerminals));
}
