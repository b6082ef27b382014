import * as vscode from 'vscode';
import type { HeadroomContext } from './headroomContext';
import { MonitorService } from './monitorService';
import { registerStatusBar } from './statusBar';
import { registerResourcesView } from './resourcesView';
import { registerCommands } from './commands';

/** Wires the features; each one creates its heavy parts (pools, parsers, processes) on first use. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Headroom', { log: true });
  const monitor = new MonitorService(log);
  context.subscriptions.push(log, monitor);
  const headroom: HeadroomContext = { context, log, monitor };

  registerCommands(headroom);
  registerStatusBar(headroom);
  registerResourcesView(headroom);
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions, child processes included.
}
