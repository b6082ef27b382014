// What the kernel says a process holds, for the memory-by-owner tests.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { MemoryOwner } from '../../../src/core/monitor/ownerTypes';

export function rollupOf(pid: number): { rss: number; pss: number } {
  const text = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return {
    rss: Number(/^Rss:\s+(\d+) kB/m.exec(text)![1]) * 1024,
    pss: Number(/^Pss:\s+(\d+) kB/m.exec(text)![1]) * 1024,
  };
}

/** The owner's bytes against smaps_rollup of its processes, read right after the crawl. */
export function assertMatchesRollup(owner: MemoryOwner): void {
  const truth = owner.processes.reduce((sum, p) => {
    try {
      const r = rollupOf(p.pid);
      return sum + (p.measure === 'pss' ? r.pss : r.rss);
    } catch {
      return sum; // exited since
    }
  }, 0);
  assert.ok(truth > 0, `${owner.label}: nothing measurable`);
  const off = Math.abs(owner.bytes - truth) / truth;
  assert.ok(off < 0.05, `${owner.label}: ${owner.bytes} vs smaps_rollup ${truth} (${(off * 100).toFixed(1)}% off)`);
}
