// The ranges after the first are given its distinct values of columns of many (knownDistinct): a range
// that holds exactly those sends none back, one with others sends its whole list. The distinct counts
// stay pandas' nunique with two workers, on a file well past the first range (16 MB).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { closeFootprintPool } from '../../../src/core/footprint';
import { seededRandom } from '../../../src/core/random';
import { assertDistinctCounts, pandasNunique } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-known-'));
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

const ROWS = 1_000_000;

/**
 * ~40 MB: eight columns of codes 0..999 (every range holds all of them), one whose codes 1000..1099
 * start past row 800,000 (the last ranges hold values the first did not), and 300 city-like names.
 */
function write(path: string): void {
  const next = seededRandom(3);
  const lines = [[...Array.from({ length: 8 }, (_, c) => `code${c}`), 'late', 'place'].join(',')];
  for (let i = 0; i < ROWS; i++) {
    const cells: string[] = [];
    for (let c = 0; c < 8; c++) cells.push(String(Math.floor(next() * 1000)));
    cells.push(String(Math.floor(next() * (i > 800_000 ? 1100 : 1000))));
    cells.push(`place ${Math.floor(next() * 300)}`);
    lines.push(cells.join(','));
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

it("keeps pandas' distinct counts when later ranges send back only what the first did not hold", async () => {
  const path = join(dir, 'codes.csv');
  write(path);
  const nunique = pandasNunique(path);
  assert.equal(nunique[8], 1100);
  const [one, two] = await assertDistinctCounts(path, nunique);
  assert.equal(two, one);
});
