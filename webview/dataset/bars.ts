// Before/after bars per column, plain DOM scaled to the largest column, themed by CSS variables.
import { formatBytes } from '../../src/core/format';
import type { DatasetView } from '../../src/core/footprint/viewTypes';
import { el } from '../shared/vscodeApi';

const MAX_BARS = 40;

export function renderBars(box: HTMLElement, view: DatasetView): void {
  const columns = [...view.columns].sort((a, b) => b.bytes - a.bytes).slice(0, MAX_BARS);
  const max = Math.max(1, ...columns.map((c) => c.bytes));
  const pct = (bytes: number) => `${Math.max(0.5, (100 * bytes) / max).toFixed(2)}%`;
  const rows = columns.map((c) => {
    const after = c.suggestion?.bytes ?? c.bytes;
    return el(
      'div',
      {
        className: 'bar-row',
        attrs: {
          role: 'listitem',
          'aria-label': `${c.name}: ${formatBytes(c.bytes)} now, ${formatBytes(after)} after`,
        },
      },
      [
        el('span', { className: 'bar-label', text: c.name, attrs: { title: c.name } }),
        el('span', { className: 'bar-track' }, [
          barEl('before', pct(c.bytes), formatBytes(c.bytes)),
          barEl('after', pct(after), formatBytes(after)),
        ]),
      ],
    );
  });
  const more =
    view.columns.length > MAX_BARS
      ? [el('p', { className: 'muted', text: `The ${MAX_BARS} largest of ${view.columns.length} columns.` })]
      : [];
  box.replaceChildren(
    el('div', { className: 'legend', attrs: { 'aria-hidden': 'true' } }, [
      el('span', { className: 'swatch before' }),
      'now',
      el('span', { className: 'swatch after' }),
      'after the plan',
    ]),
    el('div', { attrs: { role: 'list', 'aria-label': 'Bytes per column, now and after the plan' } }, rows),
    ...more,
  );
}

function barEl(kind: 'before' | 'after', width: string, text: string): HTMLElement {
  const bar = el('span', { className: `bar ${kind}` }, [el('span', { className: 'bar-text', text })]);
  bar.style.width = width;
  return bar;
}
