/**
 * The Python environment service: which Python the user's code runs with, and the pandas model it
 * implies. Created once in activate() and handed to the features (footprints, hints, tuning), so
 * none depends on another having been registered first. The chain itself (Python extension's
 * active interpreter, then `headroom.python.path`, then the workspace's .venv, then `python3`) is core's choosePython, which the
 * CLI and the tuning engine use too; this service fills in what VS Code knows, probes each
 * interpreter once (core's probe cache) and says in the log which source won.
 */
import * as vscode from 'vscode';
import type { PandasModel } from './core/footprint/types';
import type { ChosenPython, PythonChoice, PythonProbe } from './core/python';
import { pythonSetting, footprintModelOverrides } from './config';
import {
  choosePython,
  clearPythonCache,
  discoverPython,
  killPythonProbes,
  probePython,
  resolvePandasModel,
  type ModelResolution,
} from './lazyEngines';

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

/**
 * How long the Python extension may take to get ready or to resolve an environment. Its `ready`
 * waits for environment discovery, which can take over a minute in a fresh window: every footprint
 * (the Datasets view, the hints) waited on it. Past this, its current answer (or the setting) is used.
 */
export const PYTHON_API_TIMEOUT_MS = 10_000;

export class PythonEnvironment implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the interpreter or a model setting changes (cached models are stale then). */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[];
  private apiWatched = false;
  /** Interpreters whose model problem was shown already, and the last choice logged per folder. */
  private readonly warned = new Set<string>();
  private readonly logged = new Map<string, string>();

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables = [
      this.changed,
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('headroom.python') || e.affectsConfiguration('headroom.footprint')) this.reset();
      }),
    ];
  }

  private reset(): void {
    clearPythonCache();
    this.warned.clear();
    this.logged.clear();
    this.changed.fire();
  }

  private withinTimeout<T>(promise: PromiseLike<T> | undefined, what: string): Promise<T | undefined> {
    if (!promise) return Promise.resolve(undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => {
        this.log.warn(
          `The Python extension took over ${PYTHON_API_TIMEOUT_MS / 1000} s to ${what}: going on without waiting`,
        );
        resolve(undefined);
      }, PYTHON_API_TIMEOUT_MS);
    });
    return Promise.race([Promise.resolve(promise), timeout]).finally(() => clearTimeout(timer));
  }

  private async pythonApi(): Promise<PythonApi | undefined> {
    const extension = vscode.extensions.getExtension<PythonApi>('ms-python.python');
    if (!extension) return undefined;
    try {
      const api = extension.isActive ? extension.exports : await this.withinTimeout(extension.activate(), 'activate');
      await this.withinTimeout(api?.ready, 'discover environments');
      if (api && !this.apiWatched) {
        this.apiWatched = true;
        const fire = () => this.reset();
        for (const event of [
          api.environments?.onDidChangeActiveEnvironmentPath,
          api.settings?.onDidChangeExecutionDetails,
        ])
          if (event) this.disposables.push(event(fire));
      }
      return api;
    } catch (error) {
      this.log.warn(`The Python extension's API is unavailable: ${String(error)}`);
      return undefined;
    }
  }

  private async pythonExtensionInterpreter(resource?: vscode.Uri): Promise<string | undefined> {
    const api = await this.pythonApi();
    try {
      if (api?.environments) {
        const active = api.environments.getActiveEnvironmentPath(resource);
        const env = await this.withinTimeout(api.environments.resolveEnvironment(active), 'resolve its interpreter');
        const path = env?.executable.uri?.fsPath;
        if (path) return path;
      }
      const command = api?.settings?.getExecutionDetails(resource).execCommand;
      if (command && command.length > 0) return command[0];
    } catch (error) {
      this.log.warn(`Asking the Python extension for its interpreter failed: ${String(error)}`);
    }
    return undefined;
  }

  /** What VS Code says about the interpreter (each link of the chain core's choosePython walks). */
  async choice(resource?: vscode.Uri): Promise<PythonChoice> {
    const folder =
      (resource && vscode.workspace.getWorkspaceFolder(resource)) ?? vscode.workspace.workspaceFolders?.[0];
    return {
      pythonExtension: await this.pythonExtensionInterpreter(resource),
      setting: pythonSetting(resource),
      // Without the Python extension or the setting: the folder's .venv, as a terminal user would use it.
      discovered: folder
        ? discoverPython({ env: process.env, from: folder.uri.fsPath, useActivatedEnvironments: false })
        : undefined,
    };
  }

  /** The interpreter to ask (and to run user code with), and which source chose it. */
  async resolve(resource?: vscode.Uri): Promise<ChosenPython> {
    const chosen = choosePython(await this.choice(resource));
    const key = resource ? (vscode.workspace.getWorkspaceFolder(resource)?.uri.toString() ?? '') : '';
    const said = `${chosen.path} (from ${chosen.from})`;
    if (this.logged.get(key) !== said) {
      this.logged.set(key, said);
      this.log.info(`Using Python ${said}`);
    }
    return chosen;
  }

  /**
   * The one probe of an interpreter (cached per path, forgotten when the interpreter or a setting
   * changes): the pandas models here and the tuning engine's check before a run both ask it.
   */
  probe(pythonPath: string): Promise<PythonProbe> {
    return probePython(pythonPath);
  }

  /** The model with where it came from and, when it is a default, why (shown to the user once per interpreter). */
  async pandasModelResolution(resource?: vscode.Uri): Promise<ModelResolution & { pythonPath: string }> {
    const { path: pythonPath } = await this.resolve(resource);
    const resolution = await resolvePandasModel(pythonPath, footprintModelOverrides());
    if (resolution.message && !this.warned.has(pythonPath)) {
      this.warned.add(pythonPath);
      this.log.warn(resolution.message);
      void vscode.window
        .showWarningMessage(`Headroom: ${resolution.message}`, 'Select Interpreter', 'Open Settings')
        .then((choice) => {
          if (choice === 'Select Interpreter') void vscode.commands.executeCommand('python.setInterpreter');
          if (choice === 'Open Settings')
            void vscode.commands.executeCommand('workbench.action.openSettings', 'headroom.footprint');
        });
    } else if (!resolution.message) {
      this.log.debug(
        `pandas model from ${pythonPath}: pandas ${resolution.model.pandas}, Python ${resolution.model.python}, pyarrow ${resolution.model.pyarrow}`,
      );
    }
    return { ...resolution, pythonPath };
  }

  async pandasModel(resource?: vscode.Uri): Promise<PandasModel> {
    return (await this.pandasModelResolution(resource)).model;
  }

  dispose(): void {
    killPythonProbes();
    for (const d of this.disposables) d.dispose();
  }
}
