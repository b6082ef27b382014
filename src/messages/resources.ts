/**
 * Host (src/resourcesView.ts) <-> the Resources webview view (webview/resources). One union per
 * direction; the host validates what the webview sends with isResourcesMessage.
 */
import type { ResourceSample } from '../core/monitor/sample';
import type { ClusterNode } from '../core/tuning/events';
import { messageValidator, noFields } from './validate';

/** CPU and memory of one running tuning trial, as the Resources view lists it. */
export interface TrialUsage {
  runId: string;
  trialId: string;
  label: string;
  cpuPercent: number;
  rssBytes: number;
}

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
  | { type: 'clusters'; clusters: ClusterView[] };

/** Resources webview view -> host. */
export type ResourcesWebviewMessage = { type: 'ready' } | { type: 'openSettings' };

/** Validates a message from the Resources view. */
export const isResourcesMessage = messageValidator<ResourcesWebviewMessage>({
  ready: noFields,
  openSettings: noFields,
});
