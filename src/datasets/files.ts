// Which files are datasets: the glob setting, and the same test for a single path.
import * as vscode from 'vscode';

export const DEFAULT_GLOB = '**/*.{csv,tsv,csv.gz,tsv.gz,parquet}';
const EXCLUDE = '{**/node_modules/**,**/.venv/**,**/.headroom/**,**/.git/**}';

export function datasetGlob(): string {
  return vscode.workspace.getConfiguration('headroom.datasets').get<string>('glob', DEFAULT_GLOB) || DEFAULT_GLOB;
}

export function datasetExclude(): string {
  return EXCLUDE;
}

/** Whether a path names a file the footprint engine reads (by extension; the engine also checks content). */
export function isDatasetPath(path: string): boolean {
  return /\.(csv|tsv)(\.gz)?$|\.parquet$/i.test(path);
}
