/**
 * The Resources view's Cluster section: while a run of this window uses a Ray cluster, its nodes as
 * the run's driver last reported them (every 2 s): alive or dead, CPU and memory, the run's trials
 * on each. Cleared when the run ends.
 */
import type { HeadroomContext } from '../headroomContext';
import type { ClusterView } from '../messages/resources';
import type { RunManager } from './runManager';

export function registerClusterStatus(headroom: HeadroomContext, runs: RunManager): void {
  const clusters = new Map<string, ClusterView>();
  const publish = () => headroom.resourcesView?.showClusters([...clusters.values()]);
  headroom.context.subscriptions.push(
    runs.onEvent(({ runId, event, model }) => {
      if (event.type !== 'cluster') return;
      clusters.set(runId, { runId, runName: model.header.name, address: event.address, nodes: event.nodes });
      publish();
    }),
    runs.onDidFinish(({ runId }) => {
      if (clusters.delete(runId)) publish();
    }),
  );
}
