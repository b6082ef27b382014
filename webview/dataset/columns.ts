// The per-column table: sortable by any column through header buttons (keyboard and screen readers included).
import { formatBytes, formatCount } from '../../src/core/format';
import type { DatasetColumnView, DatasetView } from '../../src/core/footprint/viewTypes';
import { el } from '../shared/vscodeApi';

export type SortKey = 'order' | 'name' | 'dtype' | 'bytes' | 'nulls' | 'distinct' | 'suggested' | 'after' | 'saved';
export interface SortState {
  key: SortKey;
  descending: boolean;
}

type Row = { c: DatasetColumnView; order: number };

const HEADERS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'order', label: '#', numeric: true },
  { key: 'name', label: 'Column', numeric: false },
  { key: 'dtype', label: 'dtype', numeric: false },
  { key: 'bytes', label: 'Bytes', numeric: true },
  { key: 'nulls', label: 'Nulls', numeric: true },
  { key: 'distinct', label: 'Distinct', numeric: true },
  { key: 'suggested', label: 'Suggested', numeric: false },
  { key: 'after', label: 'After', numeric: true },
  { key: 'saved', label: 'Saved', numeric: true },
];

function value(r: Row, key: SortKey): number | string {
  const c = r.c;
  const after = c.suggestion?.bytes ?? c.bytes;
  switch (key) {
    case 'order':
      return r.order;
    case 'name':
      return c.name.toLowerCase();
    case 'dtype':
      return c.dtype;
    case 'bytes':
      return c.bytes;
    case 'nulls':
      return c.nulls;
    case 'distinct':
      return c.distinct ?? (c.highCardinality ? Number.MAX_SAFE_INTEGER : -1);
    case 'suggested':
      return c.suggestion?.dtype ?? '';
    case 'after':
      return after;
    case 'saved':
      return c.bytes - after;
  }
}

export function renderColumns(
  box: HTMLElement,
  view: DatasetView,
  sort: SortState,
  onSort: (next: SortState) => void,
): void {
  const rows: Row[] = view.columns.map((c, order) => ({ c, order: order + 1 }));
  rows.sort((a, b) => {
    const x = value(a, sort.key);
    const y = value(b, sort.key);
    const cmp = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return (sort.descending ? -cmp : cmp) || a.order - b.order;
  });
  const approx = view.mode === 'quick';
  const head = el(
    'tr',
    {},
    HEADERS.map((h) => {
      const active = sort.key === h.key;
      const th = el('th', {
        className: h.numeric ? 'num' : '',
        attrs: { scope: 'col', 'aria-sort': active ? (sort.descending ? 'descending' : 'ascending') : 'none' },
      });
      const b = el('button', {
        className: 'sort',
        text: `${h.label}${active ? (sort.descending ? ' ▼' : ' ▲') : ''}`,
        attrs: { type: 'button', title: `Sort by ${h.label}` },
      });
      b.addEventListener('click', () => onSort({ key: h.key, descending: active ? !sort.descending : h.numeric }));
      th.append(b);
      return th;
    }),
  );
  const body = rows.map(({ c, order }) => {
    const after = c.suggestion?.bytes ?? c.bytes;
    const distinct = c.distinct !== null ? formatCount(c.distinct) : c.highCardinality ? 'many' : '';
    const tr = el('tr', { attrs: { 'data-column': c.name } }, [
      el('td', { className: 'num', text: String(order) }),
      el('th', { className: 'name', text: c.name, attrs: { scope: 'row', title: range(c) } }),
      el('td', { text: c.dtype }),
      cell(c.bytes, approx),
      el('td', { className: 'num', text: formatCount(c.nulls) }),
      el('td', { className: 'num', text: distinct }),
      el('td', {
        className: c.suggestion ? 'suggested' : 'muted',
        text: c.suggestion?.dtype ?? '—',
        attrs: { title: c.suggestion?.reason ?? 'Already the smallest exact dtype' },
      }),
      cell(after, approx),
      el('td', { className: 'num', text: c.suggestion ? formatBytes(c.bytes - after) : '' }),
    ]);
    return tr;
  });
  const reasons = rows
    .filter((r) => r.c.suggestion)
    .map((r) =>
      el('li', {}, [el('code', { text: r.c.name }), ` → ${r.c.suggestion!.dtype}: ${r.c.suggestion!.reason}`]),
    );
  box.replaceChildren(
    el('div', { className: 'table-wrap', attrs: { tabindex: '0', role: 'region', 'aria-label': 'Columns' } }, [
      el('table', { attrs: { id: 'columns-table' } }, [el('thead', {}, [head]), el('tbody', {}, body)]),
    ]),
    ...(reasons.length > 0 ? [el('ul', { className: 'reasons' }, reasons)] : []),
  );
}

function cell(bytes: number, approx: boolean): HTMLElement {
  const td = el('td', {
    className: 'num',
    text: `${approx ? '≈' : ''}${formatBytes(bytes)}`,
    attrs: { title: `${formatCount(bytes)} bytes` },
  });
  td.dataset.bytes = String(bytes);
  return td;
}

function range(c: DatasetColumnView): string {
  return c.min !== null && c.max !== null ? `min ${formatCount(c.min)}, max ${formatCount(c.max)}` : c.name;
}
