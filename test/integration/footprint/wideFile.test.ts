// A wide file (issue 17, point 5): the scan's memory follows what it must remember (a few values per
// column), not a fixed ~14 KB per column; the exact total stays what pandas holds.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { repoRoot } from '../../support/python';

const dir = mkdtempSync(join(tmpdir(), 'headroom-wide-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const COLS = 100_000;
const ROWS = 20;

async function writeWide(path: string): Promise<void> {
  const out = createWriteStream(path);
  const line = (f: (i: number) => string) => Array.from({ length: COLS }, (_, i) => f(i)).join(',') + '\n';
  out.write(line((i) => `c${i}`));
  for (let r = 0; r < ROWS; r++) out.write(line((i) => String((r * 7 + i) % 1000)));
  await new Promise<void>((done) => out.end(done));
}

it('100,000 columns x 20 rows: exact total as pandas (int64 columns), peak RSS of the whole scan under 512 MiB (was 1.7 GiB)', async () => {
  const path = join(dir, 'wide.csv');
  await writeWide(path);
  // A process of its own, so that its peak RSS (worker threads included) is the scan's alone.
  const script = `
    import { analyzeFile, closeFootprintPool } from ${JSON.stringify(join(repoRoot, 'src/core/footprint/index.ts'))};
    const r = await analyzeFile(${JSON.stringify(path)}, { model: { pandas: '3.0', python: '3.11', pyarrow: true }, mode: 'exact' });
    await closeFootprintPool();
    console.log(JSON.stringify({ total: r.totalBytes, rows: r.rows, cols: r.columns.length, dtypes: [...new Set(r.columns.map((c) => c.dtype))], maxRssKiB: process.resourceUsage().maxRSS }));
  `;
  const probe = join(dir, 'probe.mts');
  writeFileSync(probe, script);
  const out = spawnSync(process.execPath, ['--import', 'tsx', probe], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 300_000,
  });
  assert.equal(out.status, 0, out.stderr);
  const r = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as {
    total: number;
    rows: number;
    cols: number;
    dtypes: string[];
    maxRssKiB: number;
  };
  assert.equal(r.rows, ROWS);
  assert.equal(r.cols, COLS);
  assert.deepEqual(r.dtypes, ['int64']);
  // pandas 3.0.6 on this file: df.memory_usage(deep=True).sum() == 16,000,132 (8 bytes x 20 rows x 100,000 + RangeIndex 132)
  assert.equal(r.total, 8 * ROWS * COLS + 132);
  assert.ok(r.maxRssKiB * 1024 < 512 * 1024 * 1024, `peak RSS ${Math.round(r.maxRssKiB / 1024)} MiB`);
});
