/**
 * The Resources view's "Memory by owner" section: one row per owner (colour, name, memory and how it
 * was measured, a sparkline of the last minutes), its process tree on hover or keyboard focus, and a
 * stacked chart of the split over time. Fed by OwnersHostMessage; state is rebuilt from the host's
 * history whenever the view loads.
 */
import { formatBytes } from '../../src/core/format';
import type {
  MemoryOwner,
  OwnersHostMessage,
  OwnersPoint,
  OwnersSnapshot,
  OwnersWebviewMessage,
} from '../../src/core/monitor/ownerTypes';
import { el, onThemeChange } from '../shared/vscodeApi';
import { OwnerColors, stackedChart, type StackedChart } from './ownersChart';

/** Owners with a band of their own in the chart; the rest join `other`. */
const CHART_BANDS = 6;
const MIN_HISTORY_MS = 300_000;

const MEASURE_TEXT: Record<string, string> = {
  pss: 'PSS',
  rss: 'RSS',
  mixed: 'PSS+RSS',
};

export function mountOwners(post: (message: OwnersWebviewMessage) => void): HTMLElement & { description: string } {
  const box = document.createElement('vscode-collapsible') as HTMLElement & {
    heading: string;
    description: string;
    open: boolean;
  };
  box.id = 'section-owners';
  box.heading = 'Memory by owner';
  box.open = true;
  box.hidden = true;
  const list = el('div', { className: 'owners', attrs: { role: 'list', id: 'owners-list' } });
  const note = el('p', { className: 'owners-note' });
  const chartHost = el('div', { className: 'chart', attrs: { id: 'chart-owners', role: 'img', 'data-points': '0' } });
  const tip = el('div', { className: 'owner-tip', attrs: { role: 'tooltip', id: 'owner-tip' } });
  tip.hidden = true;
  box.append(list, note, chartHost, tip);

  let points: OwnersPoint[] = [];
  let snapshot: OwnersSnapshot | null = null;
  let chart: StackedChart | undefined;
  let chartBands = '';
  const colors = new OwnerColors();

  const bands = (): { id: string; label: string }[] => {
    if (!snapshot) return [];
    const named = snapshot.owners.filter((o) => o.kind !== 'other' && o.kind !== 'free').slice(0, CHART_BANDS);
    return [
      ...named.map((o) => ({ id: o.id, label: o.label })),
      { id: 'other', label: 'Other' },
      { id: 'free', label: 'Free' },
    ];
  };

  const drawChart = (force = false) => {
    const next = bands();
    const key = JSON.stringify(next);
    if (force || key !== chartBands || !chart) {
      chart?.destroy();
      chartBands = key;
      chart = next.length > 0 ? stackedChart(chartHost, next, colors) : undefined;
    }
    chart?.setPoints(points);
  };

  const sparkline = (id: string, color: string): SVGSVGElement => {
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', '0 0 80 18');
    svg.setAttribute('aria-hidden', 'true');
    const values = points.map((p) => p.bytes[id] ?? 0);
    const first = points[0]?.timestamp ?? 0;
    const span = Math.max(1, (points.at(-1)?.timestamp ?? 0) - first);
    const max = Math.max(1, ...values);
    const path = document.createElementNS(ns, 'polyline');
    path.setAttribute(
      'points',
      points
        .map(
          (p, i) => `${(((p.timestamp - first) / span) * 80).toFixed(1)},${(17 - (values[i] / max) * 16).toFixed(1)}`,
        )
        .join(' '),
    );
    path.setAttribute('fill', 'none');
    path.setAttribute('stroke', color);
    path.setAttribute('stroke-width', '1.5');
    svg.append(path);
    return svg;
  };

  const showTip = (owner: MemoryOwner, row: HTMLElement) => {
    const lines = owner.processes.map((p) =>
      el('div', { className: 'tip-proc' }, [
        el('span', { className: 'tip-pid', text: String(p.pid) }),
        el('span', { className: 'tip-mem', text: `${formatBytes(p.bytes)} ${p.measure.toUpperCase()}` }),
        el('span', {
          className: 'tip-cmd',
          text: `${'  '.repeat(p.depth)}${p.depth > 0 ? '└ ' : ''}${p.command}`,
        }),
      ]),
    );
    const stale = owner.processes.some((p) => p.pssAgeMs !== undefined);
    tip.replaceChildren(
      el('div', { className: 'tip-head', text: `${owner.label}: ${formatBytes(owner.bytes)}` }),
      el('div', { className: 'tip-detail', text: owner.detail }),
      el('div', { className: 'tip-proc tip-cols' }, [
        el('span', { className: 'tip-pid', text: 'PID' }),
        el('span', { className: 'tip-mem', text: 'Memory' }),
        el('span', { className: 'tip-cmd', text: 'Command line' }),
      ]),
      ...lines,
      ...(owner.hiddenProcesses > 0
        ? [el('div', { className: 'tip-detail', text: `and ${owner.hiddenProcesses} more processes` })]
        : []),
      ...(stale
        ? [
            el('div', {
              className: 'tip-detail',
              text: 'PSS of large processes is re-read every few seconds (costly); RSS changes are added in between.',
            }),
          ]
        : []),
    );
    tip.hidden = false;
    tip.style.top = `${row.offsetTop + row.offsetHeight}px`;
    row.setAttribute('aria-describedby', 'owner-tip');
  };
  const hideTip = () => {
    tip.hidden = true;
  };

  const render = () => {
    if (!snapshot) return;
    box.hidden = false;
    const named = snapshot.owners.filter((o) => o.kind !== 'other' && o.kind !== 'free');
    const measures = new Set(named.map((o) => o.measure));
    box.description = `${named.length} owners · ${formatBytes(snapshot.usedBytes)} used`;
    note.textContent =
      `Memory is PSS (shared pages split between the processes that share them) where the kernel shows it — runs, kernels, programs` +
      `${measures.has('rss') || measures.has('mixed') ? '; RSS elsewhere (shared pages counted in each)' : ''}. ` +
      `Crawl: ${snapshot.crawl.processes} processes in ${snapshot.crawl.cpuMs.toFixed(1)} ms CPU.`;
    colors.keep(new Set(bands().map((b) => b.id)));
    const rows = snapshot.owners.map((owner) => {
      const color = colors.color(owner.kind === 'other' || owner.kind === 'free' ? owner.kind : owner.id);
      const actions =
        owner.kind === 'run' && owner.runId
          ? [
              el('button', {
                className: 'owner-action',
                text: 'Open',
                attrs: { title: 'Open the run panel', 'data-action': 'open' },
              }),
              el('button', {
                className: 'owner-action',
                text: 'Stop',
                attrs: { title: 'Stop the run (kills its trials)', 'data-action': 'stop' },
              }),
            ]
          : [];
      const row = el(
        'div',
        {
          className: `owner owner-${owner.kind}`,
          attrs: {
            role: 'listitem',
            tabindex: '0',
            'data-id': owner.id,
            'aria-label': `${owner.label}: ${formatBytes(owner.bytes)}${owner.measure ? ` ${MEASURE_TEXT[owner.measure]}` : ''}`,
          },
        },
        [
          el('span', { className: 'swatch', attrs: { style: `background:${color}` } }),
          el('span', { className: 'owner-name' }, [
            el('span', { className: 'owner-label', text: owner.label }),
            el('span', { className: 'owner-detail' }, [
              el('span', { className: 'owner-detail-text', text: owner.detail }),
              ...actions,
            ]),
          ]),
          sparkline(owner.id, color),
          el('span', { className: 'owner-bytes', text: formatBytes(owner.bytes) }),
          el('span', { className: 'owner-measure', text: owner.measure ? MEASURE_TEXT[owner.measure] : '' }),
        ],
      );
      if (owner.processes.length > 0) {
        row.addEventListener('mouseenter', () => showTip(owner, row));
        row.addEventListener('focus', () => showTip(owner, row));
        row.addEventListener('mouseleave', hideTip);
        row.addEventListener('blur', hideTip);
      }
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Escape') hideTip();
      });
      for (const button of row.querySelectorAll('button')) {
        button.addEventListener('click', () =>
          post({ type: button.dataset.action === 'open' ? 'openOwnerRun' : 'stopOwnerRun', runId: owner.runId! }),
        );
      }
      return row;
    });
    list.replaceChildren(...rows);
    hideTip();
    drawChart();
  };

  const trim = () => {
    const last = points.at(-1)?.timestamp ?? 0;
    const keep = Math.max(MIN_HISTORY_MS, last - (points[0]?.timestamp ?? last));
    while (points.length > 0 && points[0].timestamp < last - keep) points.shift();
  };

  window.addEventListener('message', (event: MessageEvent<OwnersHostMessage | { type: string }>) => {
    const message = event.data as OwnersHostMessage;
    if (message.type === 'ownersHistory') {
      points = message.points;
      snapshot = message.snapshot;
      render();
    } else if (message.type === 'owners') {
      snapshot = message.snapshot;
      points.push({
        timestamp: snapshot.timestamp,
        bytes: Object.fromEntries(snapshot.owners.map((o) => [o.id, o.bytes])),
      });
      trim();
      render();
    } else if (message.type === 'revealOwner') {
      box.open = true;
      const row = list.querySelector<HTMLElement>(`[data-id="${CSS.escape(message.id)}"]`);
      row?.scrollIntoView({ block: 'center' });
      row?.focus();
      row?.classList.add('revealed');
    }
  });

  new ResizeObserver(() => chart?.resize(chartHost.clientWidth)).observe(chartHost);
  onThemeChange(() => {
    drawChart(true);
    render();
  });
  return box;
}
