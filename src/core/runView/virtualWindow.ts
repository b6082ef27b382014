/**
 * Window math of a virtualized list of fixed-height rows: only the rows in view (plus a margin) exist
 * in the DOM, so 10,000 trials cost as much to scroll as 40.
 */

export interface VirtualWindow {
  /** First row index rendered (inclusive). */
  start: number;
  /** Last row index rendered (exclusive). */
  end: number;
  /** Pixels above the first rendered row (the spacer's height). */
  offsetTop: number;
  /** Height of the whole list in pixels. */
  totalHeight: number;
}

/** Rows to render for a viewport at `scrollTop`, with `overscan` extra rows above and below. */
export function windowFor(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): VirtualWindow {
  const totalHeight = total * rowHeight;
  if (total === 0 || rowHeight <= 0) return { start: 0, end: 0, offsetTop: 0, totalHeight: 0 };
  const maxTop = Math.max(0, totalHeight - viewportHeight);
  const top = Math.min(Math.max(0, scrollTop), maxTop);
  const first = Math.floor(top / rowHeight);
  const visible = Math.ceil(Math.max(0, viewportHeight) / rowHeight) + 1;
  const start = Math.max(0, first - overscan);
  const end = Math.min(total, first + visible + overscan);
  return { start, end, offsetTop: start * rowHeight, totalHeight };
}

/** The scrollTop that brings row `index` fully into view, moving as little as possible. */
export function scrollTopToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}

/** Row to focus after a navigation key, clamped to the list. */
export function nextIndex(key: string, current: number, total: number, pageRows: number): number | undefined {
  if (total === 0) return undefined;
  const page = Math.max(1, pageRows - 1);
  const target =
    key === 'ArrowDown'
      ? current + 1
      : key === 'ArrowUp'
        ? current - 1
        : key === 'PageDown'
          ? current + page
          : key === 'PageUp'
            ? current - page
            : key === 'Home'
              ? 0
              : key === 'End'
                ? total - 1
                : undefined;
  return target === undefined ? undefined : Math.min(total - 1, Math.max(0, target));
}
