/**
 * Headroom's settings: one typed getter per setting, with the default package.json declares, read
 * here and nowhere else (a renamed or deprecated setting is handled in this one place).
 */
import * as vscode from 'vscode';
import type { ModelOverrides } from './core/python';
import { DATASET_GLOB } from './lazyEngines';

const section = (name: string, scope?: vscode.ConfigurationScope) =>
  vscode.workspace.getConfiguration(`headroom.${name}`, scope);

// headroom.tuning.*
export const tuningOpenPanelOnStart = (): boolean => section('tuning').get('openPanelOnStart', true);
export const tuningNotifyOnFinish = (): boolean => section('tuning').get('notifyOnFinish', true);
export const tuningShowStatusBar = (): boolean => section('tuning').get('showStatusBar', true);
/** The Ray cluster (HOST:PORT or "auto") for specs without `cluster:`; "" runs on this machine. */
export const tuningRayAddress = (): string => section('tuning').get<string>('rayAddress', '').trim();

// headroom.monitor.*
/** Sampling interval, at least 250 ms. */
export const monitorIntervalMs = (): number => Math.max(250, section('monitor').get<number>('intervalMs', 1000));
/** History the Resources view keeps, 30 s to an hour. */
export const monitorHistorySeconds = (): number =>
  Math.min(3600, Math.max(30, section('monitor').get<number>('historySeconds', 300)));
export const monitorRamWarningPercent = (): number => section('monitor').get('ramWarningPercent', 80);
export const monitorRamErrorPercent = (): number => section('monitor').get('ramErrorPercent', 95);
export const monitorShowStatusBar = (): boolean => section('monitor').get('showStatusBar', true);
/** The low-memory warning (Memory by owner) is on. */
export const monitorLowMemoryWarning = (): boolean => section('monitor').get<boolean>('lowMemoryWarning', true);
/** Available memory, in percent (0 to 95), below which the low-memory warning shows; 0 turns it off. */
export const monitorLowMemoryPercent = (): number =>
  Math.min(95, Math.max(0, section('monitor').get<number>('lowMemoryPercent', 10)));

// headroom.hints.*
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
  const c = section('hints');
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

// headroom.datasets.*
/** Which workspace files the Datasets view lists (an empty setting means the default). */
export const datasetsGlob = (): string => section('datasets').get<string>('glob', DATASET_GLOB) || DATASET_GLOB;

// headroom.footprint.*
/** The parts of the pandas model the user pinned ("auto": from the interpreter). */
export function footprintModelOverrides(): ModelOverrides {
  const c = section('footprint');
  return {
    pandas: c.get<string>('pandasVersion', 'auto'),
    python: c.get<string>('pythonVersion', 'auto'),
    pyarrow: c.get<'auto' | 'true' | 'false'>('pyarrow', 'auto'),
  };
}

// headroom.python.*
/** `headroom.python.path`, trimmed; undefined when empty. */
export const pythonSetting = (resource?: vscode.Uri): string | undefined =>
  section('python', resource).get<string>('path', '').trim() || undefined;

// VS Code's own settings Headroom follows
/** `editor.inlayHints.maximumLength`: inlay hints longer than this are cut by VS Code. */
export const inlayHintMaxLength = (document: vscode.TextDocument): number =>
  vscode.workspace.getConfiguration('editor.inlayHints', document).get<number>('maximumLength', 43);
