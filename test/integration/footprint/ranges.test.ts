// A file big enough to be scanned in ranges (a probe range alone, then ranges in parallel whose first
// rows are unknown, micro-blocks straddling pandas' blocks settled without a split or scanned again)
// gives the result of one sequential scan: the same statistics, and the same distinct values in the
// same first-seen order (pandas' category hash table hangs on it).
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

/**
 * ~40 MB, 32 columns (pandas' blocks of 16,384 rows), whose kinds of values change at some block
 * boundaries, where a micro-block of a range with an unknown first row straddles two blocks: only an
 * exact split gives pandas' block types there; elsewhere the kinds stay the same across the boundary.
 * Columns: int ids; text in the first rows of every fifth block among ints; a NA run across every
 * boundary among text (NA in every block: arrow's validity bitmaps hang on each block's rows); bools
 * with NA; a text value in the third row of every sixth block among ints; ints and floats; small ints.
 */
async function writeBoundaryKinds(path: string): Promise<void> {
  const out = createWriteStream(path);
  const B = 16_384;
  out.write(Array.from({ length: 32 }, (_, c) => `c${c}`).join(',') + '\n');
  const rows = 560_000;
  const rest = Array.from({ length: 26 }, (_, c) => String(c % 10)).join(',');
  for (let r = 0; r < rows; r += 10_000) {
    const lines: string[] = [];
    for (let i = r; i < Math.min(rows, r + 10_000); i++) {
      const q = i % B;
      const k = Math.floor(i / B);
      const fifth = k % 5 === 1 && q < 20 ? 'x' : String(i % 1000);
      const naRun = q < 100 || q >= B - 100 || i % 1000 === 0 ? '' : `t${i % 7}`;
      const bool = q < 1 || i % 2000 === 0 ? '' : i % 3 === 0 ? 'True' : 'False';
      const sixth = k % 6 === 0 && q === 2 ? 'late' : String(i % 50);
      lines.push(`${i},${fifth},${naRun},${bool},${sixth},${i % 13 === 0 ? '2.5' : '7'},${rest}`);
    }
    out.write(lines.join('\n') + '\n');
  }
  await new Promise<void>((done) => out.end(done));
}

describe('micro-blocks straddling a block boundary', () => {
  const path = join(dir, 'boundary-kinds.csv');
  before(() => writeBoundaryKinds(path));
  for (const model of [
    { pandas: '3.0', python: '3.11', pyarrow: true },
    { pandas: '2.2', python: '3.11', pyarrow: false },
  ] as PandasModel[]) {
    it(`give the sequential scan's block types and sizes where kinds change at the boundary (pandas ${model.pandas})`, async () => {
      const one = await analyzeFile(path, { model, mode: 'exact', workers: 1 });
      const two = await analyzeFile(path, { model, mode: 'exact', workers: 2 });
      assert.equal(two.rows, 560_000);
      const byName = Object.fromEntries(one.columns.map((c) => [c.name, c]));
      // the kinds are mixed as meant: text in some blocks only makes an object column (DtypeWarning)
      assert.equal(byName.c1.dtype, 'object');
      assert.equal(byName.c4.dtype, 'object');
      assert.deepEqual(two.columns, one.columns);
      assert.equal(two.totalBytes, one.totalBytes);
    });
  }
});
