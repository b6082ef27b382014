/**
 * The run panel's trials table without the DOM: which rows pass the filter, in which order. Updates
 * are incremental: a changed row is taken out and put back at its sorted place (binary search), so a
 * trial event costs O(log n) comparisons plus one splice, not a re-sort of 10,000 rows.
 */
import type { TrialRow } from './runModel';

/** 'id' | 'status' | 'value' | 'wall' | 'peak' | 'cpu' | 'param:<name>'. */
export type ColumnKey = 'id' | 'status' | 'value' | 'wall' | 'peak' | 'cpu' | 'node' | `param:${string}`;

export interface SortOrder {
  column: ColumnKey;
  direction: 'asc' | 'desc';
}

type Key = number | string | null;

/** Average CPU of a trial's process tree in percent of one core: live while running, else cpu time / wall time. */
export function cpuPercentOf(row: TrialRow): number | null {
  if (row.cpuPercent !== null) return row.cpuPercent;
  if (row.cpuMs !== null && row.wallMs) return (row.cpuMs / row.wallMs) * 100;
  return null;
}

/** The Node cell: where the attempt runs or ran; for a rerun still queued, the node its last attempt died on. */
export function nodeText(row: TrialRow): string {
  if (row.node) return row.node;
  return row.lostNode ? `${row.lostNode} (died)` : '—';
}

/** Running trials have no wall time yet: their duration so far, measured against `now`. */
export function durationOf(row: TrialRow, now: number): number | null {
  if (row.wallMs !== null) return row.wallMs;
  if (row.status === 'running' && row.startedAt !== null) return Math.max(0, now - row.startedAt);
  return null;
}

const STATUS_ORDER = ['running', 'queued', 'done', 'cached', 'pruned', 'failed', 'timeout', 'killed', 'cancelled'];

function keyOf(row: TrialRow, column: ColumnKey): Key {
  switch (column) {
    case 'id':
      return row.trialId;
    case 'status':
      return STATUS_ORDER.indexOf(row.status);
    case 'value':
      return row.value;
    case 'wall':
      return row.wallMs;
    case 'peak':
      return row.peakRssBytes;
    case 'cpu':
      return cpuPercentOf(row);
    case 'node':
      return row.node ?? null;
    default: {
      const v = row.params[column.slice('param:'.length)];
      return v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
    }
  }
}

/** Compares two rows; empty values sort last in both directions, ties fall back to arrival order. */
export function comparator(order: SortOrder): (a: TrialRow, b: TrialRow) => number {
  const sign = order.direction === 'asc' ? 1 : -1;
  return (a, b) => {
    const ka = keyOf(a, order.column);
    const kb = keyOf(b, order.column);
    if (ka === null || kb === null || (typeof ka === 'number' && Number.isNaN(ka))) {
      if (ka === kb) return a.seq - b.seq;
      if (ka === null) return 1;
      if (kb === null) return -1;
    }
    let c: number;
    if (typeof ka === 'number' && typeof kb === 'number') c = ka - kb;
    else if (typeof ka === 'number')
      c = -1; // numbers before strings in a mixed column
    else if (typeof kb === 'number') c = 1;
    else c = (ka as string).localeCompare(kb as string, undefined, { numeric: true });
    return c !== 0 ? sign * c : a.seq - b.seq;
  };
}

interface Term {
  test(row: TrialRow): boolean;
}

const COMPARE = /^([A-Za-z_][\w.]*)\s*(<=|>=|!=|=|<|>|:)\s*(.+)$/;

/**
 * Parses the filter box: space-separated terms, all of which must match.
 * `status:failed` (or just `failed`), `max_depth=10`, `n_estimators>=100`, `value>0.9` (the metric),
 * `rung:2`; any other word matches trial ids, statuses, params and error text (case-insensitive).
 * A leading `-` negates a term.
 */
export function parseFilter(text: string): Term[] {
  return text
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((raw) => {
      const negate = raw.startsWith('-') && raw.length > 1;
      const body = negate ? raw.slice(1) : raw;
      const term = compareTerm(body) ?? wordTerm(body.toLowerCase());
      return negate ? { test: (row: TrialRow) => !term.test(row) } : term;
    });
}

function compareTerm(body: string): Term | null {
  const m = COMPARE.exec(body);
  if (!m) return null;
  const [, field, op, wanted] = m;
  const lower = field.toLowerCase();
  const get = (row: TrialRow): Key => {
    if (lower === 'status') return row.status;
    if (lower === 'value' || lower === 'metric') return row.value;
    if (lower === 'rung') return row.rung;
    if (lower === 'attempt') return row.attempt;
    if (lower === 'id' || lower === 'trial') return row.trialId;
    if (field in row.params) {
      const v = row.params[field];
      return v === null ? 'null' : typeof v === 'number' ? v : String(v);
    }
    if (field in row.metrics) return row.metrics[field];
    return null;
  };
  const number = Number(wanted);
  return {
    test(row) {
      const v = get(row);
      if (v === null) return op === '!=';
      if (typeof v === 'number' && wanted.trim() !== '' && !Number.isNaN(number)) {
        switch (op) {
          case '<':
            return v < number;
          case '<=':
            return v <= number;
          case '>':
            return v > number;
          case '>=':
            return v >= number;
          case '!=':
            return v !== number;
          default:
            return v === number;
        }
      }
      const text = String(v).toLowerCase();
      // The table shows a null param as Python's None: both spellings match it.
      const w = wanted.toLowerCase() === 'none' ? 'null' : wanted.toLowerCase();
      if (op === '!=') return text !== w;
      if (op === ':') return text.includes(w);
      if (op === '=') return text === w;
      return false;
    },
  };
}

function wordTerm(word: string): Term {
  return {
    test(row) {
      if (row.trialId.toLowerCase().includes(word) || row.status.includes(word)) return true;
      for (const [name, value] of Object.entries(row.params)) {
        if (`${name}=${String(value)}`.toLowerCase().includes(word)) return true;
      }
      return row.error !== null && row.error.toLowerCase().includes(word);
    },
  };
}

/** The visible rows of the table, sorted and filtered, kept up to date row by row. */
export class TrialTable {
  private all: TrialRow[] = [];
  private visible: TrialRow[] = [];
  private terms: Term[] = [];
  private compare: (a: TrialRow, b: TrialRow) => number;
  private sortKeys = new Map<TrialRow, string>();

  constructor(
    private order: SortOrder = { column: 'id', direction: 'asc' },
    private filterText = '',
  ) {
    this.compare = comparator(order);
    this.terms = parseFilter(filterText);
  }

  get sort(): SortOrder {
    return this.order;
  }

  get filter(): string {
    return this.filterText;
  }

  get rows(): readonly TrialRow[] {
    return this.visible;
  }

  get totalRows(): number {
    return this.all.length;
  }

  matches(row: TrialRow): boolean {
    return this.terms.every((t) => t.test(row));
  }

  /** Replaces every row (snapshot); sorts once. */
  reset(rows: TrialRow[]): void {
    this.all = [...rows];
    this.rebuild();
  }

  setSort(order: SortOrder): void {
    this.order = order;
    this.compare = comparator(order);
    this.rebuild();
  }

  setFilter(text: string): void {
    this.filterText = text;
    this.terms = parseFilter(text);
    this.rebuild();
  }

  /**
   * A row was added or changed (its object is mutated in place by the RunModel). Returns true when the
   * visible order or membership changed, false when the row only needs repainting where it is.
   */
  upsert(row: TrialRow): boolean {
    const previousKey = this.sortKeys.get(row);
    if (previousKey === undefined) this.all.push(row);
    const index = previousKey === undefined ? -1 : this.visible.indexOf(row);
    const keep = this.matches(row);
    const key = this.sortKeyText(row);
    this.sortKeys.set(row, key);
    if (index >= 0 && keep && key === previousKey) return false;
    if (index >= 0) this.visible.splice(index, 1);
    if (!keep) return index >= 0;
    const at = this.insertionPoint(row);
    this.visible.splice(at, 0, row);
    return at !== index;
  }

  private insertionPoint(row: TrialRow): number {
    let lo = 0;
    let hi = this.visible.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(this.visible[mid], row) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** What the position depends on; unchanged means the row stays where it is. */
  private sortKeyText(row: TrialRow): string {
    const k = keyOf(row, this.order.column);
    return `${typeof k}:${String(k)}`;
  }

  private rebuild(): void {
    this.sortKeys = new Map(this.all.map((r) => [r, this.sortKeyText(r)]));
    this.visible = this.all.filter((r) => this.matches(r)).sort(this.compare);
  }
}
