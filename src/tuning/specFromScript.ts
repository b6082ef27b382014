/**
 * "New Tuning Spec" on a script that runs its own scikit-learn search: reads the search and the
 * data file the script opens (the hints' path resolution), and writes the spec and an objective
 * module that wraps the script. Scripts without a search keep the starter spec.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as vscode from 'vscode';
import type { SearchSpec } from '../core/specEditing/newSpec';
import { hintsEngine, newSpecEngine } from '../lazyEngines';

export async function searchSpecFor(source: vscode.Uri, text: string): Promise<SearchSpec | undefined> {
  const [{ analyzeTree, findSearches, getPythonParser, resolveDataPath }, { specFromSearch }] = await Promise.all([
    hintsEngine(),
    newSpecEngine(),
  ]);
  const parser = await getPythonParser();
  const tree = parser.parse(text);
  if (!tree) return undefined;
  try {
    const searches = findSearches(tree);
    const search = searches.find((s) => Object.keys(s.params).length > 0) ?? searches[0];
    if (!search) return undefined;
    const folder = dirname(source.fsPath);
    const workspace = vscode.workspace.getWorkspaceFolder(source)?.uri.fsPath;
    let dataPath: string | undefined;
    for (const read of analyzeTree(tree).reads) {
      if (read.path === null || read.remote) continue;
      const res = resolveDataPath({
        path: read.path,
        anchor: read.pathAnchor,
        documentPath: source.fsPath,
        kind: 'script',
        workspaceFolder: workspace,
      });
      if (res.found) {
        dataPath = relative(folder, res.file).split('\\').join('/');
        break;
      }
    }
    const base = source.fsPath
      .replace(/^.*[\\/]/, '')
      .replace(/\.py$/i, '')
      .replace(/\W/g, '_');
    let moduleName = `${base}_objective`;
    for (let n = 2; existsSync(join(folder, `${moduleName}.py`)); n++) moduleName = `${base}_objective${n}`;
    return specFromSearch({
      fileName: source.fsPath.replace(/^.*[\\/]/, ''),
      search,
      line: text.slice(0, search.start).split('\n').length,
      dataPath,
      moduleName,
    });
  } finally {
    tree.delete();
  }
}
