/**
 * Host (src/resourcesView.ts, its Memory by owner section in src/monitor/ownersSection.ts) <-> the
 * Resources webview view (webview/resources). One union per direction, one channel; the host
 * validates what the webview sends with isResourcesMessage.
 */
import type { OwnersPoint, OwnersSnapshot } from '../core/monitor/ownerTypes';
import type { ResourceSample } from '../core/monitor/sample';
import type { ClusterNode } from '../core/tuning/events';
import { messageValidator, noFields, type FieldCheck } from './validate';

/** CPU and memory of one running tuning trial, as the Resources view lists it. */
export interface TrialUsage {
  runId: string;
  trialId: string;
  label: string;
  cpuPercent: number;
  rssBytes: number;
}

/** Host -> Resources webview view: the Memory by owner section's messages. */
export type OwnersHostMessage =
  /** A new split, while the view is visible. */
  | { type: 'owners'; snapshot: OwnersSnapshot }
  /** On ready: the last minutes of splits and the latest one, whole. */
  | { type: 'ownersHistory'; points: OwnersPoint[]; snapshot: OwnersSnapshot | null }
  /** The low-memory warning's "Reveal in Resources": bring this owner into sight. */
  | { type: 'revealOwner'; id: string };

/** The Ray cluster a live run of this window uses, as its driver last reported it. */
export interface ClusterView {
  runId: string;
  runName: string;
  address: string;
  nodes: ClusterNode[];
}

/** Host -> Resources webview view. */
export type ResourcesHostMessage =
  | { type: 'init'; history: ResourceSample[]; historySeconds: number; intervalMs: number }
  | { type: 'sample'; sample: ResourceSample }
  | { type: 'settings'; historySeconds: number; intervalMs: number }
  | { type: 'trials'; trials: TrialUsage[] }
  | { type: 'clusters'; clusters: ClusterView[] }
  | OwnersHostMessage;

/** Resources webview view -> host: a run entry's Open and Stop buttons. */
export type OwnersWebviewMessage = { type: 'openOwnerRun'; runId: string } | { type: 'stopOwnerRun'; runId: string };

/** Resources webview view -> host. */
export type ResourcesWebviewMessage = { type: 'ready' } | { type: 'openSettings' } | OwnersWebviewMessage;

const hasRunId: FieldCheck = (m) => typeof m.runId === 'string' && m.runId.length > 0;

/** Validates a message from the Resources view. */
export const isResourcesMessage = messageValidator<ResourcesWebviewMessage>({
  ready: noFields,
  openSettings: noFields,
  openOwnerRun: hasRunId,
  stopOwnerRun: hasRunId,
});
