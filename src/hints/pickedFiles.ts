/**
 * Data files the user picked for reads whose path Headroom cannot work out (or finds nowhere), one
 * per call site, kept in workspace state. Paths inside the workspace are stored relative to it, so
 * the choice survives moving the folder.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import * as vscode from 'vscode';

const STATE_KEY = 'headroom.hints.pickedDataFiles';
export const PICK_COMMAND = 'headroom.pickDataFile';
export const FORGET_COMMAND = 'headroom.forgetPickedDataFile';

/** The arguments of the pick/forget commands (command links in hovers carry them as JSON). */
export interface PickArgs {
  /** The document (a notebook's, for a cell) the read is in. */
  owner: string;
  site: string;
}

export class PickedDataFiles {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {}

  private all(): Record<string, string> {
    return this.state.get<Record<string, string>>(STATE_KEY, {});
  }

  /** `site`: the read's call-site key (the hints engine's callSiteKey). */
  args(owner: vscode.Uri, site: string): PickArgs {
    return { owner: owner.toString(), site };
  }

  /** The picked file, when there is one and it still exists. */
  get(args: PickArgs): string | undefined {
    const stored = this.all()[`${args.owner}|${args.site}`];
    if (!stored) return undefined;
    const file = isAbsolute(stored) ? stored : join(workspaceRoot(args) ?? '', stored);
    return existsSync(file) ? file : undefined;
  }

  async set(args: PickArgs, file: string | undefined): Promise<void> {
    const all = { ...this.all() };
    const key = `${args.owner}|${args.site}`;
    if (file === undefined) delete all[key];
    else {
      const root = workspaceRoot(args);
      const inside = root ? relative(root, file) : '';
      all[key] = root && inside && !inside.startsWith('..') && !isAbsolute(inside) ? inside : file;
    }
    await this.state.update(STATE_KEY, all);
    this.changed.fire();
  }

  /** The commands behind the hint's "Pick the data file…" and "Forget" links and quick fix. */
  register(): vscode.Disposable {
    return vscode.Disposable.from(
      this.changed,
      vscode.commands.registerCommand(PICK_COMMAND, async (args?: PickArgs) => {
        if (!args?.owner || !args.site) {
          void vscode.window.showInformationMessage(
            'Pick a data file from the hint of a read_csv/read_parquet call whose file Headroom cannot find.',
          );
          return;
        }
        const root = workspaceRoot(args);
        const picked = await vscode.window.showOpenDialog({
          title: `The data file ${args.site.replace(/#\d+$/, '')} reads`,
          canSelectMany: false,
          canSelectFolders: false,
          defaultUri: root ? vscode.Uri.file(root) : undefined,
          openLabel: 'Size this file',
          filters: { 'Data files': ['csv', 'tsv', 'txt', 'gz', 'parquet', 'pq'], 'All files': ['*'] },
        });
        if (picked?.[0]) await this.set(args, picked[0].fsPath);
      }),
      vscode.commands.registerCommand(FORGET_COMMAND, (args?: PickArgs) =>
        args ? this.set(args, undefined) : undefined,
      ),
    );
  }
}

function workspaceRoot(args: PickArgs): string | undefined {
  const folder =
    vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(args.owner)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

/** A `command:` link for hovers (the MarkdownString must trust these two commands). */
export function commandLink(title: string, command: string, args: PickArgs): string {
  return `[${title}](command:${command}?${encodeURIComponent(JSON.stringify([args]))})`;
}
