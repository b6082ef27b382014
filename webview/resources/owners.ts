/**
 * The Resources view's "Memory by owner" section: one row per owner (colour, name, memory and how it
 * was measured, a sparkline of the last minutes), its process tree on hover or keyboard focus, and a
 * stacked chart of the split over time. Fed by OwnersHostMessage (through main.ts); state is rebuilt from the host's
 * history whenever the view loads.
 */
import { formatBytes } from '../../src/core/format';
import type { MemoryOwner, OwnersPoint, OwnersSnapshot } from '../../src/core/monitor/ownerTypes';
import type { OwnersHostMessage, OwnersWebviewMessage } from '../../src/messages/resources';
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

export function mountOwners(post: (message: OwnersWebviewMessage) => void): {
  box: HTMLElement;
  receive(message: OwnersHostMessage): void;
} {
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
    // Stretched to its box (the narrow layout widens it); the line keeps its width.
    svg.setAttribute('preserveAspectRatio', 'none');
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
    path.setAttribute('vector-effect', 'non-scaling-stroke');
    svg.append(path);
    return svg;
  };

  /** Kept across re-renders (one per reading): the owner whose tree is shown, and the one revealed. */
  let tipFor: string | null = null;
  let revealed: { id: string; until: number; pending: boolean } | null = null;

  const showTip = (owner: MemoryOwner, row: HTMLElement) => {
    tipFor = owner.id;
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
    // Above the row when the view ends before the tree does (a short sidebar view).
    const below = window.innerHeight - row.getBoundingClientRect().bottom;
    if (tip.offsetHeight > below && row.getBoundingClientRect().top > below)
      tip.style.top = `${Math.max(0, row.offsetTop - tip.offsetHeight)}px`;
    row.setAttribute('aria-describedby', 'owner-tip');
  };
  const hideTip = () => {
    tipFor = null;
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
          className: `owner owner-${owner.kind}${revealed?.id === owner.id && Date.now() < revealed.until ? ' revealed' : ''}`,
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
    // A new reading replaces the rows: the focused row, or its focused button, keeps the focus; a shown
    // tree stays (updated), and only a shown one.
    const active = document.activeElement as HTMLElement | null;
    const activeRow = active?.closest<HTMLElement>('.owner');
    const focused = activeRow?.dataset.id;
    const focusedAction = active !== activeRow ? active?.dataset.action : undefined;
    const shown = tipFor;
    list.replaceChildren(...rows);
    const rowOf = (id: string | undefined) =>
      id === undefined ? null : list.querySelector<HTMLElement>(`[data-id="${CSS.escape(id)}"]`);
    const focusRow = rowOf(focused);
    const focusTarget = focusedAction
      ? focusRow?.querySelector<HTMLElement>(`button[data-action="${focusedAction}"]`)
      : focusRow;
    focusTarget?.focus({ preventScroll: true });
    const tipOwner = snapshot.owners.find((o) => o.id === shown && o.processes.length > 0);
    const tipRow = rowOf(shown ?? undefined);
    if (tipOwner && tipRow) showTip(tipOwner, tipRow);
    else hideTip();
    drawChart();
  };

  const trim = () => {
    const last = points.at(-1)?.timestamp ?? 0;
    const keep = Math.max(MIN_HISTORY_MS, last - (points[0]?.timestamp ?? last));
    while (points.length > 0 && points[0].timestamp < last - keep) points.shift();
  };

  /** Brings the revealed owner's row into sight and focus, once it is there. */
  const bringRevealed = () => {
    if (!revealed?.pending) return;
    const row = list.querySelector<HTMLElement>(`[data-id="${CSS.escape(revealed.id)}"]`);
    if (!row) return;
    revealed.pending = false;
    row.scrollIntoView({ block: 'center' });
    row.focus();
  };

  /** The section's messages, handed on by the view's one message listener (main.ts). */
  const receive = (message: OwnersHostMessage) => {
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
    } else {
      box.open = true;
      // Highlighted for a while (through the next readings), so the eye finds it.
      revealed = { id: message.id, until: Date.now() + 10_000, pending: true };
      render();
    }
    bringRevealed();
  };

  new ResizeObserver(() => chart?.resize(chartHost.clientWidth)).observe(chartHost);
  onThemeChange(() => {
    drawChart(true);
    render();
  });
  return { box, receive };
}
