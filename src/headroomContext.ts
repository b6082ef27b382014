import type * as vscode from 'vscode';
import type { MonitorService } from './monitorService';

/**
 * What every feature's register function receives. Services are created lazily by their owners;
 * this object only carries the shared handles.
 */
export interface HeadroomContext {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  monitor: MonitorService;
}
