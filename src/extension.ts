import * as vscode from 'vscode';
import type { HeadroomContext } from './headroomContext';
import { MonitorService } from './monitorService';
import { PythonEnvironment } from './pythonEnvironment';
import { FootprintService } from './footprintService';
import { OwnersService } from './monitor/ownersService';
import { registerStatusBar } from './statusBar';
import { registerResourcesView } from './resourcesView';
import { registerCommands } from './commands';
import { registerDatasets } from './datasets';
import { registerTuning, stopAllTuningRuns } from './tuning';
import { registerHints } from './hints';
import { registerRuntime } from './runtime';
import { setDistDir } from './lazyEngines';

const moduleLoadedAt = performance.now();

/** Wires the features; each one creates its heavy parts (pools, parsers, processes) on first use. */
export function activate(context: vscode.ExtensionContext): void {
  const activateStartedAt = performance.now();
  // The engines load workers and the Python runtime by path: from this extension's dist/.
  setDistDir(vscode.Uri.joinPath(context.extensionUri, 'dist').fsPath);
  const log = vscode.window.createOutputChannel('Headroom', { log: true });
  const monitor = new MonitorService(log);
  const python = new PythonEnvironment(log);
  const footprints = new FootprintService(log, python);
  const owners = new OwnersService(monitor, log);
  context.subscriptions.push(log, monitor, python, footprints, owners);
  const resourcesView = registerResourcesView({ context, log, monitor, owners });
  const headroom: HeadroomContext = { context, log, monitor, python, footprints, owners, resourcesView };

  const features: [string, (headroom: HeadroomContext) => unknown][] = [
    ['commands', registerCommands],
    ['status bar', registerStatusBar],
    ['tuning', registerTuning],
    ['datasets', registerDatasets],
    ['hints', registerHints],
    ['python runtime', registerRuntime],
  ];
  const costs = features.map(([name, register]) => {
    const start = performance.now();
    register(headroom);
    return `${name} ${(performance.now() - start).toFixed(1)}`;
  });

  const now = performance.now();
  log.info(
    `Headroom activated in ${(now - activateStartedAt).toFixed(1)} ms (${(now - moduleLoadedAt).toFixed(1)} ms since the bundle was evaluated; ms per feature: ${costs.join(', ')})`,
  );
}

/**
 * Disposables go through context.subscriptions; trial processes run in process groups of their own,
 * so they would outlive the extension host unless deactivation waits for them to be stopped.
 */
export function deactivate(): Promise<void> {
  return stopAllTuningRuns();
}
