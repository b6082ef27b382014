/**
 * Host (src/datasets/panel.ts) <-> the dataset panel webview (webview/dataset). One union per
 * direction; the host validates what the webview sends with isDatasetMessage.
 */
import type { DatasetMemoryPlan, DatasetSnippet, DatasetView } from '../core/footprint/viewTypes';
import { messageValidator, noFields } from './validate';

/** Host -> dataset panel. */
export type DatasetHostMessage =
  | { type: 'loading'; label: string; phase: 'quick' | 'exact'; fraction: number }
  | { type: 'result'; view: DatasetView; refining: boolean }
  | { type: 'memory'; plan: DatasetMemoryPlan | null }
  | { type: 'error'; message: string; hint: string | null }
  /** `snippet`: the code block whose Copy / Insert button it answers (the note shows next to it). */
  | { type: 'notice'; text: string; snippet?: DatasetSnippet };

/** Dataset panel -> host. */
export type DatasetWebviewMessage =
  | { type: 'ready' }
  | { type: 'copy'; snippet: DatasetSnippet }
  | { type: 'insert'; snippet: DatasetSnippet }
  | { type: 'refresh' }
  | { type: 'cancel' }
  | { type: 'setWorkers'; workers: number };

const SNIPPETS: readonly string[] = ['code', 'sample', 'usecols', 'chunks', 'sparse'] satisfies DatasetSnippet[];
const snippet = (m: Record<string, unknown>) => typeof m.snippet === 'string' && SNIPPETS.includes(m.snippet);

/** Validates a message from the dataset panel, fields included. */
export const isDatasetMessage = messageValidator<DatasetWebviewMessage>({
  ready: noFields,
  copy: snippet,
  insert: snippet,
  refresh: noFields,
  cancel: noFields,
  setWorkers: (m) => typeof m.workers === 'number',
});
