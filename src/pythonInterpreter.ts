/**
 * Which Python the user's code runs with, and the pandas model it implies: the Python extension's
 * active interpreter when that extension is installed, else `headroom.python.path`, else `python3`;
 * each part of the model overridable by `headroom.footprint.*` settings.
 * Shared by the dataset footprints, the hints and the tuning runs.
 */
import * as vscode from 'vscode';
import type { PandasModel } from './core/footprint/types';
import { clearPythonCache, killPythonProbes, resolvePandasModel, type ModelResolution } from './core/python';

/** The parts of the ms-python.python API used here (environments API, with the older settings API as fallback). */
interface PythonApi {
  ready?: Promise<void>;
  environments?: {
    getActiveEnvironmentPath(resource?: vscode.Uri): { id: string; path: string };
    resolveEnvironment(
      env: { id: string; path: string } | string,
    ): Promise<{ executable: { uri?: vscode.Uri } } | undefined>;
    onDidChangeActiveEnvironmentPath?: vscode.Event<unknown>;
  };
  settings?: {
    getExecutionDetails(resource?: vscode.Uri): { execCommand: string[] | undefined };
    onDidChangeExecutionDetails?: vscode.Event<unknown>;
  };
}

const changed = new vscode.EventEmitter<void>();
/** Fires when the interpreter or a model setting changes (cached models are stale then). */
export const onDidChangePandasModel = changed.event;
let log: vscode.LogOutputChannel | undefined;
let apiWatched = false;
const warned = new Set<string>();

/**
 * How long the Python extension may take to get ready or to resolve an environment. Its `ready`
 * waits for environment discovery, which can take over a minute in a fresh window: every footprint
 * (the Datasets view, the hints) waited on it. Past this, its current answer (or the setting) is used.
 */
export const PYTHON_API_TIMEOUT_MS = 10_000;

function withinTimeout<T>(promise: PromiseLike<T> | undefined, what: string): Promise<T | undefined> {
  if (!promise) return Promise.resolve(undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => {
      log?.warn(
        `The Python extension took over ${PYTHON_API_TIMEOUT_MS / 1000} s to ${what}: going on without waiting`,
      );
      resolve(undefined);
    }, PYTHON_API_TIMEOUT_MS);
  });
  return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
}

async function pythonApi(): Promise<PythonApi | undefined> {
  const extension = vscode.extensions.getExtension<PythonApi>('ms-python.python');
  if (!extension) return undefined;
  try {
    const api = extension.isActive ? extension.exports : await withinTimeout(extension.activate(), 'activate');
    await withinTimeout(api?.ready, 'discover environments');
    if (api && !apiWatched) {
      apiWatched = true;
      const fire = () => {
        clearPythonCache();
        changed.fire();
      };
      api.environments?.onDidChangeActiveEnvironmentPath?.(fire);
      api.settings?.onDidChangeExecutionDetails?.(fire);
    }
    return api;
  } catch (error) {
    log?.warn(`The Python extension's API is unavailable: ${String(error)}`);
    return undefined;
  }
}

/** The interpreter to ask (and to run user code with): Python extension, then setting, then python3. */
export async function resolvePythonPath(resource?: vscode.Uri): Promise<string> {
  const api = await pythonApi();
  try {
    if (api?.environments) {
      const active = api.environments.getActiveEnvironmentPath(resource);
      const env = await withinTimeout(api.environments.resolveEnvironment(active), 'resolve its interpreter');
      const path = env?.executable.uri?.fsPath;
      if (path) return path;
    }
    const command = api?.settings?.getExecutionDetails(resource).execCommand;
    if (command && command.length > 0) return command[0];
  } catch (error) {
    log?.warn(`Asking the Python extension for its interpreter failed: ${String(error)}`);
  }
  const configured = vscode.workspace.getConfiguration('headroom.python').get<string>('path', '').trim();
  return configured || 'python3';
}

function overrides() {
  const config = vscode.workspace.getConfiguration('headroom.footprint');
  return {
    pandas: config.get<string>('pandasVersion', 'auto'),
    python: config.get<string>('pythonVersion', 'auto'),
    pyarrow: config.get<'auto' | 'true' | 'false'>('pyarrow', 'auto'),
  };
}

/** The model with where it came from and, when it is a default, why (shown to the user once per interpreter). */
export async function getPandasModelResolution(
  resource?: vscode.Uri,
): Promise<ModelResolution & { pythonPath: string }> {
  const pythonPath = await resolvePythonPath(resource);
  const resolution = await resolvePandasModel(pythonPath, overrides());
  if (resolution.message && !warned.has(pythonPath)) {
    warned.add(pythonPath);
    log?.warn(resolution.message);
    void vscode.window
      .showWarningMessage(`Headroom: ${resolution.message}`, 'Select Interpreter', 'Open Settings')
      .then((choice) => {
        if (choice === 'Select Interpreter') void vscode.commands.executeCommand('python.setInterpreter');
        if (choice === 'Open Settings')
          void vscode.commands.executeCommand('workbench.action.openSettings', 'headroom.footprint');
      });
  } else if (!resolution.message) {
    log?.debug(
      `pandas model from ${pythonPath}: pandas ${resolution.model.pandas}, Python ${resolution.model.python}, pyarrow ${resolution.model.pyarrow}`,
    );
  }
  return { ...resolution, pythonPath };
}

export async function getPandasModel(resource?: vscode.Uri): Promise<PandasModel> {
  return (await getPandasModelResolution(resource)).model;
}

/** Logs through the output channel and refreshes when settings change; called once by the first feature that needs Python. */
export function watchPythonInterpreter(context: vscode.ExtensionContext, channel: vscode.LogOutputChannel): void {
  log = channel;
  context.subscriptions.push(
    changed,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('headroom.python') || e.affectsConfiguration('headroom.footprint')) {
        clearPythonCache();
        warned.clear();
        changed.fire();
      }
    }),
    { dispose: killPythonProbes },
  );
}
