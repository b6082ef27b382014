import type * as vscode from 'vscode';
import type { FootprintService } from './footprintService';
import type { MonitorService } from './monitorService';
import type { PythonEnvironment } from './pythonEnvironment';
import type { OwnersService } from './monitor/ownersService';
import type { ResourcesView } from './resourcesView';

/**
 * What every feature's register function receives: the services shared by more than one feature,
 * each created once in activate() (their heavy parts start on first use).
 */
export interface HeadroomContext {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  monitor: MonitorService;
  /** Which Python runs the user's code, and its pandas model (footprints, hints, tuning). */
  python: PythonEnvironment;
  /** Dataset footprints: one cache, one engine and worker pool (dataset panel and view, hints, tuning). */
  footprints: FootprintService;
  /** Memory by owner: the process-table crawl, its history and the low-memory warning. */
  owners: OwnersService;
  /** The Resources view, where running trials' CPU and memory are listed. */
  resourcesView: ResourcesView;
}
