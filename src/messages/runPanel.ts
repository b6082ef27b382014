/**
 * Host (src/tuning/runPanel.ts) <-> the run panel webview (webview/run), and the state the host saves
 * so the panel comes back after a reload. One union per direction; the host validates what the webview
 * sends with isRunPanelMessage.
 */
import type { RunEvent } from '../core/tuning/events';
import type { RunPanelSnapshot } from '../core/runView/viewTypes';
import { messageValidator, noFields } from './validate';

/** Host -> run panel (webview). `events` are the engine's RunEvents, batched (at most ~10 messages a second). */
export type RunPanelHostMessage =
  | { type: 'snapshot'; snapshot: RunPanelSnapshot }
  | { type: 'events'; events: RunEvent[] }
  | { type: 'trust'; trusted: boolean };

/** Run panel (webview) -> host. */
export type RunPanelWebviewMessage =
  | { type: 'ready' }
  | { type: 'stop' }
  | { type: 'resume' }
  | { type: 'copyBestParams' }
  /** A trial's log, or the run's own log (the Headroom output) when trialId is absent. */
  | { type: 'openLog'; trialId?: string }
  /** Stop this one trial; the run goes on. */
  | { type: 'stopTrial'; trialId: string }
  | { type: 'openSpec' };

/** The state a run panel saves with VS Code, so the panel comes back after a window reload. */
export interface RunPanelState {
  runId: string;
  /** Workspace folder that holds .headroom/runs/<runId>. */
  workspace: string;
  sort?: { column: string; direction: 'asc' | 'desc' };
  filter?: string;
}

/** Validates a message from the run panel, fields included. */
export const isRunPanelMessage = messageValidator<RunPanelWebviewMessage>({
  ready: noFields,
  stop: noFields,
  resume: noFields,
  copyBestParams: noFields,
  openLog: (m) => m.trialId === undefined || (typeof m.trialId === 'string' && /^[\w.-]{1,100}$/.test(m.trialId)),
  openSpec: noFields,
  stopTrial: (m) => typeof m.trialId === 'string' && /^[\w.-]{1,100}$/.test(m.trialId),
});
