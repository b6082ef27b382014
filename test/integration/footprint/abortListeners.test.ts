// An exact scan of a big file runs dozens of pool tasks at once (ranges and the rescans of micro-blocks
// straddling pandas' low_memory blocks); they listen to the scan's own signal, so the caller's signal
// holds one listener and Node prints no MaxListenersExceededWarning (issue 18: the CLI printed
// "11 abort listeners added to [AbortSignal]" on a 600 MB file).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { analyzeFile, closeFootprintPool } from '../../../src/core/footprint';

const dir = mkdtempSync(join(tmpdir(), 'headroom-listeners-'));
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

it('a parallel exact scan adds no more than one abort listener to the caller signal', async () => {
  // 16 columns: blocks of 32,768 rows; ~23 MB, 500,000 rows: 15 block boundaries to rescan
  const row = Array.from({ length: 16 }, (_, i) => i).join(',');
  const path = join(dir, 'many-blocks.csv');
  writeFileSync(
    path,
    [Array.from({ length: 16 }, (_, i) => `c${i}`).join(','), ...Array(500_000).fill(row)].join('\n') + '\n',
  );
  const warnings: string[] = [];
  const onWarning = (w: Error) => warnings.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  const controller = new AbortController();
  let most = 0;
  const add = controller.signal.addEventListener.bind(controller.signal);
  let live = 0;
  controller.signal.addEventListener = ((...args: Parameters<typeof add>) => {
    live++;
    most = Math.max(most, live);
    return add(...args);
  }) as typeof add;
  const remove = controller.signal.removeEventListener.bind(controller.signal);
  controller.signal.removeEventListener = ((...args: Parameters<typeof remove>) => {
    live--;
    return remove(...args);
  }) as typeof remove;
  const result = await analyzeFile(path, {
    model: { pandas: '3.0', python: '3.11', pyarrow: true },
    mode: 'exact',
    workers: 2,
    signal: controller.signal,
  });
  // warnings are emitted on the next tick
  await new Promise((r) => setImmediate(r));
  process.off('warning', onWarning);
  assert.equal(result.rows, 500_000);
  assert.deepEqual(
    warnings.filter((w) => w.startsWith('MaxListenersExceededWarning')),
    [],
  );
  assert.ok(most <= 1, `${most} abort listeners at once on the caller's signal`);
});
