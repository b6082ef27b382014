/**
 * The trials table: a virtualized grid (only the rows in view exist), sortable by any column,
 * filterable, keyboard navigable, with the best trial highlighted. Every cell is set through
 * textContent: trial ids, params and errors never become markup.
 */
import { formatBytes } from '../../src/core/format';
import type { RunTrialRow } from '../../src/core/runView/viewTypes';
import { formatDuration, formatMetric, formatParamValue, trialStatusText } from '../../src/core/runView/reasons';
import {
  cpuPercentOf,
  durationOf,
  nodeText,
  TrialTable,
  type ColumnKey,
  type SortOrder,
} from '../../src/core/runView/trialTable';
import { nextIndex, scrollTopToReveal, windowFor } from '../../src/core/runView/virtualWindow';
import { el } from '../shared/vscodeApi';

export const ROW_HEIGHT = 24;

interface Column {
  key: ColumnKey;
  label: string;
  numeric: boolean;
  text(row: RunTrialRow, now: number): string;
}

const STATUS_ICONS: Record<string, string> = {
  queued: 'circle-large-outline',
  running: 'sync',
  done: 'pass',
  failed: 'error',
  timeout: 'watch',
  killed: 'circle-slash',
  pruned: 'debug-step-out',
  cached: 'database',
  cancelled: 'circle-slash',
};

export interface TableCallbacks {
  onSortChange(order: SortOrder): void;
  onFilterChange(text: string): void;
  onOpenLog(trialId: string): void;
  onStopTrial(trialId: string): void;
}

function actionButton(action: string, icon: string, title: string): HTMLButtonElement {
  const button = el('button', {
    className: `row-action codicon codicon-${icon}`,
    attrs: { type: 'button', title, 'data-action': action, tabindex: '-1' },
  }) as HTMLButtonElement;
  return button;
}

export class TrialsGrid {
  readonly table: TrialTable;
  readonly element: HTMLElement;
  private readonly head = el('div', { className: 'grid-head', attrs: { role: 'row' } });
  private readonly viewport: HTMLElement;
  private readonly spacer = el('div', { className: 'grid-spacer' });
  private readonly body = el('div', { className: 'grid-body', attrs: { role: 'rowgroup' } });
  private readonly count = el('span', { className: 'count', attrs: { 'aria-live': 'polite' } });
  private columns: Column[] = [];
  /** Whether the run's trials run on Ray nodes (the Node column). */
  private nodes = false;
  private paramKeys: string[] = [];
  private pool: HTMLElement[] = [];
  private focused = 0;
  private bestId: string | null = null;
  private frame = 0;
  private fullPaint = false;
  private readonly dirty = new Set<RunTrialRow>();
  /** What this run's kind allows per trial (runActions.ts): a joblib search has no logs, no stop here. */
  private actions = { logs: true, stopTrial: true };

  constructor(
    private metric: string,
    order: SortOrder,
    filter: string,
    private readonly callbacks: TableCallbacks,
  ) {
    this.table = new TrialTable(order, filter);
    this.viewport = el('div', {
      className: 'grid-viewport',
      attrs: { role: 'grid', tabindex: '0', 'aria-label': 'Trials', 'aria-multiselectable': 'false' },
    });
    this.viewport.append(this.spacer);
    this.spacer.append(this.body);
    this.viewport.addEventListener('scroll', () => this.schedule(true), { passive: true });
    this.viewport.addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(() => this.schedule(true)).observe(this.viewport);
    const filterBox = document.createElement('vscode-textfield') as HTMLElement & {
      value: string;
      placeholder: string;
    };
    filterBox.id = 'filter';
    filterBox.placeholder = 'Filter: failed, max_depth=10, value>0.9, -cached';
    filterBox.value = filter;
    filterBox.setAttribute('aria-label', 'Filter trials');
    filterBox.addEventListener('input', () => {
      this.table.setFilter(filterBox.value);
      this.callbacks.onFilterChange(filterBox.value);
      this.focused = 0;
      this.schedule(true);
    });
    this.element = el('section', { className: 'trials' }, [
      el('div', { className: 'toolbar' }, [filterBox, this.count]),
      el('div', { className: 'grid', attrs: { id: 'trials-grid' } }, [this.head, this.viewport]),
    ]);
    this.viewport.addEventListener('dblclick', (e) => {
      const id = (e.target as HTMLElement).closest<HTMLElement>('[data-trial]')?.dataset.trial;
      if (id && this.actions.logs) this.callbacks.onOpenLog(id);
    });
    this.viewport.addEventListener('click', (e) => {
      // Each row's own actions: its log, and stopping that one trial.
      const action = (e.target as HTMLElement).closest<HTMLElement>('[data-action]');
      const trial = action?.closest<HTMLElement>('[data-trial]')?.dataset.trial;
      if (action && trial) {
        e.stopPropagation();
        if (action.dataset.action === 'log' && this.actions.logs) this.callbacks.onOpenLog(trial);
        else if (action.dataset.action === 'stop' && this.actions.stopTrial) this.callbacks.onStopTrial(trial);
        return;
      }
      const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
      if (row) this.focus(Number(row.dataset.index));
    });
  }

  setMetric(metric: string): void {
    this.metric = metric;
    this.buildColumns(this.paramKeys);
  }

  setActions(actions: { logs: boolean; stopTrial: boolean }): void {
    if (actions.logs === this.actions.logs && actions.stopTrial === this.actions.stopTrial) return;
    this.actions = { logs: actions.logs, stopTrial: actions.stopTrial };
    this.schedule(true);
  }

  setBest(trialId: string | null): void {
    if (trialId === this.bestId) return;
    this.bestId = trialId;
    this.schedule(true);
  }

  /** Replaces every row (snapshot). */
  reset(rows: RunTrialRow[], params: string[]): void {
    this.nodes = rows.some((r) => r.node);
    this.buildColumns(params);
    this.table.reset(rows);
    this.schedule(true);
  }

  /** Rows changed by an event batch: moved when their sort key changed, else repainted in place. */
  update(rows: Iterable<RunTrialRow>, params: string[]): void {
    const list = [...rows];
    // A cluster run shows where each trial ran: the column appears with the first trial placed on a node.
    const nodes = this.nodes || list.some((r) => r.node);
    if (params.length !== this.paramKeys.length || nodes !== this.nodes) {
      this.nodes = nodes;
      this.buildColumns(params);
      this.fullPaint = true;
    }
    for (const row of list) {
      if (this.table.upsert(row)) this.fullPaint = true;
      else this.dirty.add(row);
    }
    this.schedule(this.fullPaint);
  }

  /** Repaints on the next frame; many events in one frame cost one paint. */
  schedule(full: boolean): void {
    if (full) this.fullPaint = true;
    this.frame ||= requestAnimationFrame(() => this.paint());
  }

  /** Paints synchronously (used by the benchmark to time a render). */
  paint(): void {
    this.frame = 0;
    const rows = this.table.rows;
    const win = windowFor(this.viewport.scrollTop, this.viewport.clientHeight, ROW_HEIGHT, rows.length);
    this.spacer.style.height = `${win.totalHeight}px`;
    this.body.style.transform = `translateY(${win.offsetTop}px)`;
    this.viewport.setAttribute('aria-rowcount', String(rows.length + 1));
    this.count.textContent = `${rows.length} of ${this.table.totalRows} trials`;
    const now = Date.now();
    const needed = win.end - win.start;
    while (this.pool.length < needed) this.pool.push(this.newRow());
    for (let i = 0; i < this.pool.length; i++) {
      const node = this.pool[i];
      const index = win.start + i;
      if (i >= needed) {
        if (node.parentNode) node.remove();
        continue;
      }
      if (!node.parentNode) this.body.append(node);
      const row = rows[index];
      if (this.fullPaint || this.dirty.has(row) || node.dataset.index !== String(index) || row.status === 'running') {
        this.fillRow(node, row, index, now);
      }
    }
    this.dirty.clear();
    this.fullPaint = false;
  }

  private newRow(): HTMLElement {
    const node = el('div', { className: 'grid-row', attrs: { role: 'row' } });
    for (const c of this.columns) {
      node.append(
        el('span', { className: c.numeric ? 'cell num' : 'cell', attrs: { role: 'gridcell' } }, [
          el('span', { className: 'text' }),
        ]),
      );
    }
    // Icon and the best marker are decoration (aria-hidden); the status text carries the meaning.
    node.firstElementChild?.prepend(el('i', { className: 'codicon', attrs: { 'aria-hidden': 'true' } }));
    node.append(
      el('span', { className: 'cell row-actions', attrs: { role: 'gridcell' } }, [
        actionButton('log', 'output', "Open this trial's log"),
        actionButton('stop', 'stop-circle', 'Stop this trial (the run goes on)'),
      ]),
    );
    return node;
  }

  private fillRow(node: HTMLElement, row: RunTrialRow, index: number, now: number): void {
    node.dataset.index = String(index);
    node.dataset.trial = row.trialId;
    node.id = `row-${index}`;
    node.setAttribute('aria-rowindex', String(index + 2));
    const best = row.trialId === this.bestId;
    node.className = `grid-row status-${row.status}${best ? ' best' : ''}${index === this.focused ? ' focused' : ''}`;
    node.setAttribute('aria-selected', index === this.focused ? 'true' : 'false');
    const cells = node.children;
    for (let c = 0; c < this.columns.length; c++) {
      const text = this.columns[c].text(row, now);
      const target = (cells[c] as HTMLElement).lastElementChild as HTMLElement;
      if (target.textContent !== text) target.textContent = text;
    }
    const first = cells[0] as HTMLElement;
    (first.firstElementChild as HTMLElement).className =
      `codicon codicon-${best ? 'star-full' : (STATUS_ICONS[row.status] ?? 'circle')}`;
    if (best) first.setAttribute('aria-label', `${row.trialId}, best trial`);
    else first.removeAttribute('aria-label');
    (cells[1] as HTMLElement).title = trialStatusText(row);
    const [log, stop] = (cells[this.columns.length] as HTMLElement).children as unknown as HTMLButtonElement[];
    // Kept in place when absent, so each action stays in its own column.
    log.style.visibility = row.logFile && this.actions.logs ? '' : 'hidden';
    log.setAttribute('aria-label', `Open the log of ${row.trialId}`);
    stop.hidden = !this.actions.stopTrial || (row.status !== 'running' && row.status !== 'queued');
    stop.setAttribute('aria-label', `Stop ${row.trialId}; the run goes on`);
  }

  private buildColumns(params: string[]): void {
    this.paramKeys = params;
    const metric = this.metric;
    this.columns = [
      { key: 'id', label: 'Trial', numeric: false, text: (r) => r.trialId },
      { key: 'status', label: 'Status', numeric: false, text: (r) => trialStatusText(r) },
      { key: 'value', label: metric, numeric: true, text: (r) => formatMetric(r.value) },
      ...params.map<Column>((name) => ({
        key: `param:${name}`,
        label: name,
        numeric: false,
        text: (r) => formatParamValue(r.params[name]),
      })),
      { key: 'wall', label: 'Duration', numeric: true, text: (r, now) => formatDuration(durationOf(r, now)) },
      {
        key: 'peak',
        // RSS, as the CLI's "peak RSS": the same number for the same trial in both faces.
        label: 'Peak RSS',
        numeric: true,
        text: (r) => (r.peakRssBytes === null ? '—' : formatBytes(r.peakRssBytes)),
      },
      {
        key: 'cpu',
        label: 'CPU',
        numeric: true,
        text: (r) => {
          const cpu = cpuPercentOf(r);
          return cpu === null ? '—' : `${Math.round(cpu)}%`;
        },
      },
      ...(this.nodes ? [{ key: 'node' as const, label: 'Node', numeric: false, text: nodeText }] : []),
    ];
    const template = this.columns
      .map((c) =>
        c.key.startsWith('param:')
          ? 'minmax(70px, 1fr)'
          : c.key === 'status'
            ? 'minmax(120px, 1.6fr)'
            : // "127.0.0.1/92dcf1": the node id's six characters are what tells nodes of one address apart.
              c.key === 'node'
              ? 'minmax(120px, 1.2fr)'
              : 'minmax(64px, 0.8fr)',
      )
      .join(' ');
    this.element.style.setProperty('--grid-columns', `${template} 56px`);
    this.head.replaceChildren(
      ...this.columns.map((c) => {
        const sorted = this.table.sort.column === c.key;
        const button = el('button', {
          className: c.numeric ? 'head-cell num' : 'head-cell',
          text: `${c.label}${sorted ? (this.table.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}`,
          attrs: {
            role: 'columnheader',
            'aria-sort': sorted ? (this.table.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none',
            title: `Sort by ${c.label}`,
          },
        });
        button.addEventListener('click', () => this.sortBy(c.key, c.numeric));
        return button;
      }),
      el('span', { className: 'head-cell actions-head', text: 'Log', attrs: { role: 'columnheader' } }),
    );
    this.pool.forEach((n) => n.remove());
    this.pool = [];
    this.schedule(true);
  }

  private sortBy(column: ColumnKey, numeric: boolean): void {
    const current = this.table.sort;
    // A metric or a figure is usually wanted biggest first; names and ids in order.
    const direction =
      current.column === column ? (current.direction === 'asc' ? 'desc' : 'asc') : numeric ? 'desc' : 'asc';
    const order: SortOrder = { column, direction };
    this.table.setSort(order);
    this.callbacks.onSortChange(order);
    this.buildColumns(this.paramKeys);
  }

  private focus(index: number): void {
    this.focused = index;
    this.viewport.scrollTop = scrollTopToReveal(index, this.viewport.scrollTop, this.viewport.clientHeight, ROW_HEIGHT);
    this.viewport.setAttribute('aria-activedescendant', `row-${index}`);
    this.schedule(true);
  }

  private onKey(e: KeyboardEvent): void {
    const rows = this.table.rows;
    if (e.key === 'Enter' && rows[this.focused] && this.actions.logs) {
      this.callbacks.onOpenLog(rows[this.focused].trialId);
      e.preventDefault();
      return;
    }
    const focused = rows[this.focused];
    if (
      e.key === 'Delete' &&
      this.actions.stopTrial &&
      focused &&
      (focused.status === 'running' || focused.status === 'queued')
    ) {
      this.callbacks.onStopTrial(focused.trialId);
      e.preventDefault();
      return;
    }
    const target = nextIndex(e.key, this.focused, rows.length, Math.floor(this.viewport.clientHeight / ROW_HEIGHT));
    if (target === undefined) return;
    e.preventDefault();
    this.focus(target);
  }
}
