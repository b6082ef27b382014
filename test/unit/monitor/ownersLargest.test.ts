// The largest other processes: the same as sorting all of them by RSS (stably) and keeping the first few.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { largest } from '../../../src/core/monitor/owners';
import type { ProcRow } from '../../../src/core/monitor/procTable';

const row = (pid: number, rssBytes: number) => ({ pid, rssBytes }) as ProcRow;
const sorted = (rows: ProcRow[], count: number) => [...rows].sort((a, b) => b.rssBytes - a.rssBytes).slice(0, count);

describe('largest', () => {
  it('keeps the largest, largest first, equal sizes in their listing order', () => {
    const rows = [row(1, 5), row(2, 9), row(3, 5), row(4, 1), row(5, 9), row(6, 7), row(7, 5)];
    assert.deepEqual(
      largest(rows, 4).map((r) => r.pid),
      [2, 5, 6, 1],
    );
    for (const count of [0, 1, 3, 5, 7, 20]) assert.deepEqual(largest(rows, count), sorted(rows, count), `${count}`);
  });

  it('agrees with a stable sort on many rows with many ties', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 40;
    const rows = Array.from({ length: 500 }, (_, i) => row(i + 1, random() * 4096));
    for (const count of [1, 5, 39, 1000]) assert.deepEqual(largest(rows, count), sorted(rows, count), `${count}`);
  });
});
