// Which files are datasets: the glob setting, and the same test for a single path.
import { datasetsGlob } from '../config';
import { DATASET_FILE } from '../lazyEngines';

const EXCLUDE = '{**/node_modules/**,**/.venv/**,**/.headroom/**,**/.git/**}';

export function datasetGlob(): string {
  return datasetsGlob();
}

export function datasetExclude(): string {
  return EXCLUDE;
}

/** Whether a path names a file the footprint engine reads (by extension; the engine also checks content). */
export function isDatasetPath(path: string): boolean {
  return DATASET_FILE.test(path);
}
