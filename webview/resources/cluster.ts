/**
 * The Cluster section: while a run uses a Ray cluster, one row per node (alive or dead, CPU in use of
 * its total, memory the run's trials use and what Ray has reserved of the node's memory, the trials
 * running there), redrawn as the driver reports (every 2 s). Hidden when no run uses a cluster.
 */
import type { ClusterNode } from '../../src/core/tuning/events';
import type { ClusterView } from '../../src/messages/resources';
import { el } from '../shared/vscodeApi';
import { memoryText } from './clusterText';

const cpuText = (n: ClusterNode) => `${+(n.cpuTotal - n.cpuFree).toFixed(2)} of ${n.cpuTotal}`;

function nodeRow(n: ClusterNode): HTMLElement {
  return el('tr', { className: n.alive ? 'alive' : 'dead' }, [
    el('td', { text: n.name }),
    el('td', { text: n.alive ? 'alive' : 'dead' }),
    el('td', { className: 'num', text: n.alive ? cpuText(n) : '—' }),
    el('td', { className: 'num', text: n.alive ? memoryText(n) : '—' }),
    el('td', { text: n.trials.join(', ') || '—' }),
  ]);
}

export function mountClusters(): { box: HTMLElement; render(clusters: ClusterView[]): void } {
  const box = document.createElement('vscode-collapsible') as HTMLElement & {
    heading: string;
    description: string;
    open: boolean;
  };
  box.id = 'section-cluster';
  box.heading = 'Cluster';
  box.open = true;
  box.hidden = true;
  const body = el('div', { className: 'trials cluster' });
  box.append(body);
  return {
    box,
    render(clusters) {
      box.hidden = clusters.length === 0;
      box.description = clusters
        .map(
          (c) =>
            `${c.address}: ${c.nodes.filter((n) => n.alive).length} of ${c.nodes.length} nodes alive (${c.runName})`,
        )
        .join('; ');
      const head = el('tr', {}, [
        el('th', { text: 'Node' }),
        el('th', { text: 'State' }),
        el('th', { className: 'num', text: 'CPU used' }),
        el('th', { className: 'num', text: 'Memory' }),
        el('th', { text: 'Trials' }),
      ]);
      body.replaceChildren(
        ...clusters.map((c) =>
          el('table', { attrs: { 'aria-label': `Nodes of the Ray cluster at ${c.address}` } }, [
            el('thead', {}, [head.cloneNode(true) as HTMLElement]),
            el('tbody', {}, c.nodes.map(nodeRow)),
          ]),
        ),
      );
    },
  };
}
