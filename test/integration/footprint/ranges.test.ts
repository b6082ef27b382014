// A file big enough to be scanned in ranges (a probe range alone, then ranges in parallel whose first
// rows are unknown, micro-blocks straddling pandas' blocks scanned again) gives the result of one
// sequential scan: the same statistics, and the same distinct values in the same first-seen order
// (pandas' category hash table hangs on it).
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool } from '../../../src/core/footprint';
import type { PandasModel } from '../../../src/core/footprint/types';

const dir = mkdtempSync(join(tmpdir(), 'headroom-ranges-'));
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

const NAMES = ['José', 'Дмитрий', 'Zoë', 'Ana', '李雷', 'Ólafur'];

/** ~36 MB: ids, days in order (sorted first-seen), codes that turn unsorted late, names, words. */
async function write(path: string): Promise<void> {
  const out = createWriteStream(path);
  out.write('id,day,code,name,word,note\n');
  const rows = 800_000;
  for (let r = 0; r < rows; r += 10_000) {
    const lines: string[] = [];
    for (let i = r; i < r + 10_000; i++) {
      const day = new Date(Date.UTC(2020, 0, 1) + Math.floor(i / 500) * 86_400_000).toISOString().slice(0, 10);
      // 50 codes from the start; past row 700,000 one more that sorts before them all
      const code = i > 700_000 && i % 97 === 0 ? 'AA' : `C${String((i * 7) % 50).padStart(2, '0')}`;
      // words: the first 300 in the probe, 2,000 more appear later
      const word = `w${i < 300_000 ? i % 300 : (i * 13) % 2300}`;
      const note = i % 5 === 0 ? `"n ${i % 40}, \u00e9t\u00e9"` : '';
      lines.push(`${i},${day},${code},${NAMES[i % NAMES.length]},${word},${note}`);
    }
    out.write(lines.join('\n') + '\n');
  }
  await new Promise<void>((done) => out.end(done));
}

describe('exact scans in ranges', () => {
  const path = join(dir, 'ranges.csv');
  before(() => write(path));
  const models: PandasModel[] = [
    { pandas: '3.0', python: '3.11', pyarrow: true },
    { pandas: '1.5', python: '3.11', pyarrow: false },
  ];
  for (const model of models) {
    it(`give the sequential scan's columns, distinct values and category sizes (pandas ${model.pandas})`, async () => {
      const one = await analyzeFile(path, { model, mode: 'exact', workers: 1 });
      const two = await analyzeFile(path, { model, mode: 'exact', workers: 2 });
      assert.equal(two.rows, 800_000);
      assert.equal(two.totalBytes, one.totalBytes);
      assert.deepEqual(two.columns, one.columns);
      const byName = Object.fromEntries(one.columns.map((c) => [c.name, c]));
      assert.deepEqual(
        ['day', 'code', 'name', 'word', 'note'].map((n) => byName[n].distinct),
        [1600, 51, NAMES.length, 2300, 8],
      );
    });
  }
});
