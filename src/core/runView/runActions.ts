/**
 * Which actions work for a run, by its kind: the Runs view's context menus and the run panel's
 * buttons offer only these. A tuning run is Headroom's own (stop, resume, logs, stop one trial); a
 * joblib search (headroom_runtime's backend in the user's own script) runs in its own Python
 * process, has no spec to resume and no per-trial logs: it is stopped where it runs (Ctrl+C).
 */
import type { RunHeader } from './viewTypes';

export interface RunActions {
  /** Stop the run from VS Code. */
  stop: boolean;
  /** Resume a stopped, failed or interrupted run. */
  resume: boolean;
  /** The run's own log (run.log) and each trial's log. */
  logs: boolean;
  /** Stop one running trial; the run goes on. */
  stopTrial: boolean;
  /** The button that opens the file the run came from. */
  openSource: 'Open spec' | 'Open script';
  /** Said in the panel when the run is controlled elsewhere; empty otherwise. */
  note: string;
}

export function runActions(header: Pick<RunHeader, 'source'>): RunActions {
  if (header.source === 'joblib') {
    return {
      stop: false,
      resume: false,
      logs: false,
      stopTrial: false,
      openSource: 'Open script',
      note: 'A joblib search in its own Python process (headroom_runtime): stop it where it runs (Ctrl+C); its output is in that terminal.',
    };
  }
  return { stop: true, resume: true, logs: true, stopTrial: true, openSource: 'Open spec', note: '' };
}

/** The Runs view's contextValue suffix: menus in package.json match `run-<status>` for tuning runs only where needed. */
export function runContextValue(header: Pick<RunHeader, 'source' | 'status'>): string {
  return header.source === 'joblib' ? `run-${header.status}-joblib` : `run-${header.status}`;
}
