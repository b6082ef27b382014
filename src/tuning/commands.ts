/** The tuning commands: start, new spec, stop, resume, delete, open, reveal log, copy best params. */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { HeadroomContext } from '../headroomContext';
import { tuningOpenPanelOnStart, tuningRayAddress } from '../config';
import { newSpecEngine, runLogPath, SPEC_FILE, SPEC_GLOB } from '../lazyEngines';
import { formatParams, runStatusText } from '../core/runView/reasons';
import { runActions, type RunActions } from '../core/runView/runActions';
import { isUserError, type StartOptions } from './engineAdapter';
import type { RunManager } from './runManager';
import type { RunPanels } from './runPanel';
import { searchSpecFor } from './specFromScript';
import { requireTrust } from './trust';

type RunArg = string | { runId: string; trialId?: string } | undefined;

function runIdOf(arg: RunArg): string | undefined {
  return typeof arg === 'string' ? arg : arg?.runId;
}

export function registerTuningCommands(headroom: HeadroomContext, runs: RunManager, panels: RunPanels): void {
  const { context, log } = headroom;

  const pickRun = async (
    placeHolder: string,
    filter: (status: string, live: boolean, actions: RunActions) => boolean,
  ): Promise<string | undefined> => {
    const items = runs
      .list()
      .filter((e) => filter(e.summary.status, !!e.live, runActions(e.summary)))
      .map((e) => ({
        label: e.summary.name,
        description: `${runStatusText(e.summary.status)} · ${new Date(e.summary.startedAt).toLocaleString()}`,
        detail: e.summary.runId,
        runId: e.summary.runId,
      }));
    if (items.length === 0) {
      void vscode.window.showInformationMessage('No tuning run fits: start one with "Headroom: Start Tuning Run".');
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.runId;
  };

  const startOptions = async (resource: vscode.Uri): Promise<StartOptions> => {
    const folder = vscode.workspace.getWorkspaceFolder(resource);
    return {
      workspace: folder?.uri.fsPath ?? dirname(resource.fsPath),
      // The engine walks the chain itself: the spec's python: comes before what VS Code says.
      python: await headroom.python.choice(resource),
      rayAddress: tuningRayAddress(),
    };
  };

  const showStartError = async (error: unknown, spec?: vscode.Uri) => {
    const message = error instanceof Error ? error.message : String(error);
    log.error(
      `Starting the tuning run failed: ${isUserError(error) ? message : error instanceof Error ? (error.stack ?? message) : message}`,
    );
    const first = message.split('\n');
    const text =
      first.length > 1 ? `${first[0]} (and ${first.length - 1} more problem${first.length > 2 ? 's' : ''})` : first[0];
    const actions = spec ? ['Open Spec', 'Show Log'] : ['Show Log'];
    const choice = await vscode.window.showErrorMessage(`Cannot start the tuning run: ${text}`, ...actions);
    if (choice === 'Open Spec' && spec) await vscode.window.showTextDocument(spec);
    if (choice === 'Show Log') log.show(true);
  };

  const findSpec = async (arg?: vscode.Uri): Promise<vscode.Uri | undefined> => {
    if (arg instanceof vscode.Uri) return arg;
    const active = vscode.window.activeTextEditor?.document.uri;
    if (active && SPEC_FILE.test(active.fsPath)) return active;
    const files = await vscode.workspace.findFiles(SPEC_GLOB, '{**/node_modules/**,**/.headroom/**,**/.venv/**}', 200);
    if (files.length === 1) return files[0];
    if (files.length === 0) {
      const create = 'New Tuning Spec';
      const choice = await vscode.window.showInformationMessage(
        'No tuning spec (NAME.tune.yaml) in this workspace.',
        create,
      );
      if (choice === create) await vscode.commands.executeCommand('headroom.newTuningSpec');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      files.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
      { placeHolder: 'Which tuning spec?' },
    );
    return picked?.uri;
  };

  const start = async (arg?: vscode.Uri) => {
    if (!(await requireTrust(log, 'Start Tuning Run'))) return;
    const spec = await findSpec(arg);
    if (!spec) return;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === spec.toString());
    if (open?.isDirty) await open.save();
    try {
      const model = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Starting tuning run of ${basename(spec.fsPath)}…` },
        async () => runs.start(spec.fsPath, await startOptions(spec)),
      );
      if (tuningOpenPanelOnStart()) panels.open(model.header.runId);
    } catch (error) {
      await showStartError(error, spec);
    }
  };

  const resume = async (arg?: RunArg) => {
    if (!(await requireTrust(log, 'Resume Run'))) return;
    const runId =
      runIdOf(arg) ??
      (await pickRun('Resume which run?', (status, live, can) => can.resume && !live && status !== 'done'));
    if (!runId) return;
    const entry = runs.get(runId);
    if (!entry) return;
    if (!runActions(entry.summary).resume) {
      void vscode.window.showInformationMessage(
        `"${entry.summary.name}" is a joblib search: run its script again to search again.`,
      );
      return;
    }
    if (entry.live) {
      void vscode.window.showInformationMessage(`Run "${entry.summary.name}" is already running.`);
      return;
    }
    try {
      await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Resuming tuning run ${entry.summary.name}…` },
        async () => runs.resume(runId, await startOptions(vscode.Uri.file(entry.summary.specPath))),
      );
      if (tuningOpenPanelOnStart()) panels.open(runId);
    } catch (error) {
      await showStartError(error);
    }
  };

  const stop = async (arg?: RunArg) => {
    const runId = runIdOf(arg) ?? (await pickRun('Stop which run?', (_s, live, can) => can.stop && live));
    if (!runId) return;
    if (!runs.isLive(runId)) {
      const summary = runs.get(runId)?.summary;
      const name = summary?.name ?? runId;
      void vscode.window.showInformationMessage(
        summary && !runActions(summary).stop
          ? `"${name}" is a joblib search in its own Python process: stop it where it runs (Ctrl+C).`
          : `Run "${name}" is not running in this window (another window or the CLI runs it): stop it there.`,
      );
      return;
    }
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Stopping the tuning run: killing its trials…' },
      () => runs.stop(runId),
    );
  };

  const remove = async (arg?: RunArg) => {
    const runId = runIdOf(arg) ?? (await pickRun('Delete which run?', (_s, live) => !live));
    const entry = runId ? runs.get(runId) : undefined;
    if (!entry) return;
    const choice = await vscode.window.showWarningMessage(
      `Delete run "${entry.summary.name}" (${entry.summary.runId})? Its results and logs in ${entry.summary.runDir} are removed.`,
      { modal: true },
      'Delete',
    );
    if (choice !== 'Delete') return;
    try {
      runs.delete(entry.summary.runId);
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof Error ? error.message : String(error));
    }
  };

  const revealLog = async (arg?: RunArg, trialIdArg?: string) => {
    const runId = runIdOf(arg) ?? (await pickRun('Show the log of which run?', (_s, _l, can) => can.logs));
    if (!runId) return;
    const trialId = trialIdArg ?? (typeof arg === 'object' ? arg.trialId : undefined);
    const model = runs.model(runId);
    if (!model) return log.show(true);
    if (!runActions(model.header).logs) {
      void vscode.window.showInformationMessage(
        `"${model.header.name}" is a joblib search: its output is in the terminal that ran it.`,
      );
      return;
    }
    if (!trialId) {
      // The run's own log (run.log in its folder), not the output channel all runs share.
      const runLog = runLogPath(model.header.runDir);
      if (existsSync(runLog)) {
        await vscode.window.showTextDocument(vscode.Uri.file(runLog), { preview: true });
        return;
      }
      log.info(`Run ${runId} has no run.log (it ran before runs kept their own log): showing the Headroom output`);
      return log.show(true);
    }
    const row = model.trials.get(trialId);
    const path = row?.logFile ? join(model.header.runDir, row.logFile) : undefined;
    if (!path || !existsSync(path)) {
      void vscode.window.showInformationMessage(`Trial ${trialId} has no log yet${row ? ` (${row.status})` : ''}.`);
      return;
    }
    await vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true });
  };

  const stopTrial = (arg?: RunArg, trialIdArg?: string) => {
    const runId = runIdOf(arg);
    const trialId = trialIdArg ?? (typeof arg === 'object' ? arg.trialId : undefined);
    if (!runId || !trialId) {
      void vscode.window.showInformationMessage(
        'Stop Trial works on a running trial: use it from the Runs view or the run panel.',
      );
      return;
    }
    if (!runs.isLive(runId)) {
      void vscode.window.showInformationMessage(`Trial ${trialId} is not running in this window.`);
      return;
    }
    if (!runs.stopTrial(runId, trialId))
      void vscode.window.showInformationMessage(`Trial ${trialId} is not running or queued any more.`);
  };

  const copyBest = async (arg?: RunArg) => {
    const runId = runIdOf(arg) ?? (await pickRun('Copy the best params of which run?', () => true));
    const model = runId ? runs.model(runId) : undefined;
    if (!model) return;
    if (!model.best) {
      void vscode.window.showInformationMessage(`Run "${model.header.name}" has no successful trial yet.`);
      return;
    }
    await vscode.env.clipboard.writeText(JSON.stringify(model.best.params, null, 2));
    void vscode.window.showInformationMessage(
      `Copied the best params of "${model.header.name}": ${formatParams(model.best.params)}`,
    );
  };

  const newSpec = async (arg?: vscode.Uri) => {
    let source = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!source || !source.fsPath.endsWith('.py')) {
      const files = await vscode.workspace.findFiles(
        '**/*.py',
        '{**/node_modules/**,**/.venv/**,**/.headroom/**}',
        500,
      );
      const picked = await vscode.window.showQuickPick(
        files.map((uri) => ({ label: basename(uri.fsPath), description: vscode.workspace.asRelativePath(uri), uri })),
        { placeHolder: 'Which Python file does the spec tune? (script or module with an objective function)' },
      );
      source = picked?.uri;
    }
    if (!source) return;
    const text = Buffer.from(await vscode.workspace.fs.readFile(source)).toString('utf8');
    let starter = (await newSpecEngine()).starterSpec({ fileName: basename(source.fsPath), text });
    // A script running its own scikit-learn search: spec + objective module from that search.
    const fromSearch =
      starter.mode === 'script'
        ? await searchSpecFor(source, text).catch(
            (error: unknown) => void log.warn(`Reading the search in ${source.fsPath} failed: ${String(error)}`),
          )
        : undefined;
    if (fromSearch) starter = fromSearch;
    let target = join(dirname(source.fsPath), starter.fileName);
    for (let n = 2; existsSync(target); n++)
      target = join(dirname(source.fsPath), starter.fileName.replace('.tune.', `-${n}.tune.`));
    if (fromSearch) {
      const module = vscode.Uri.file(join(dirname(source.fsPath), fromSearch.module.fileName));
      await vscode.workspace.fs.writeFile(module, Buffer.from(fromSearch.module.text, 'utf8'));
    }
    await vscode.workspace.fs.writeFile(vscode.Uri.file(target), Buffer.from(starter.text, 'utf8'));
    log.info(`New tuning spec (${starter.mode} mode) for ${source.fsPath}: ${target}`);
    await vscode.window.showTextDocument(vscode.Uri.file(target));
    if (fromSearch) {
      const open = 'Open Objective';
      void vscode.window
        .showInformationMessage(
          `Wrote ${basename(target)} and ${fromSearch.module.fileName}, which runs ${basename(source.fsPath)} up to its search and scores each trial as the search would.`,
          open,
        )
        .then((choice) =>
          choice === open
            ? vscode.window.showTextDocument(
                vscode.Uri.file(join(dirname(source.fsPath), fromSearch.module.fileName)),
                {
                  viewColumn: vscode.ViewColumn.Beside,
                  preview: true,
                },
              )
            : undefined,
        );
    }
  };

  context.subscriptions.push(
    vscode.commands.registerCommand('headroom.startTuningRun', start),
    vscode.commands.registerCommand('headroom.newTuningSpec', newSpec),
    vscode.commands.registerCommand('headroom.stopRun', stop),
    vscode.commands.registerCommand('headroom.resumeRun', resume),
    vscode.commands.registerCommand('headroom.deleteRun', remove),
    vscode.commands.registerCommand('headroom.openRun', async (arg?: RunArg) => {
      const runId = runIdOf(arg) ?? (await pickRun('Open which run?', () => true));
      if (runId) panels.open(runId);
    }),
    vscode.commands.registerCommand('headroom.revealRunLog', revealLog),
    vscode.commands.registerCommand('headroom.stopTrial', stopTrial),
    vscode.commands.registerCommand('headroom.copyBestParams', copyBest),
    vscode.commands.registerCommand('headroom.refreshRuns', () => runs.refresh()),
  );
}
