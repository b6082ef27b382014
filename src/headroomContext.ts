import type * as vscode from 'vscode';
import type { MonitorService } from './monitorService';
import type { OwnersService } from './monitor/ownersService';
import type { ResourcesView } from './resourcesView';

/**
 * What every feature's register function receives. Services are created lazily by their owners;
 * this object only carries the shared handles.
 */
export interface HeadroomContext {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  monitor: MonitorService;
  /** Memory by owner: the process-table crawl, its history and the low-memory warning. */
  owners: OwnersService;
  /** The Resources view, where running trials' CPU and memory are listed. */
  resourcesView: ResourcesView;
}
