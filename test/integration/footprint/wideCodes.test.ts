// From 32 columns on, the scan parses the integers of tracked columns in its loop and counts a value
// seen before from a bitmap instead of its column's set. The distinct values stay the spellings, as
// pandas keeps them for dtype='category' ("7" and "007" are two categories), with one worker or two.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { closeFootprintPool } from '../../../src/core/footprint';
import { wideCodes } from './corpus';
import { assertDistinctCounts, pandasNunique } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-wide-codes-'));
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

it('distinct values of a wide file of integer codes are the spellings pandas keeps', async () => {
  const path = join(dir, 'codes.csv');
  writeFileSync(path, wideCodes(70_000));
  const spellings = pandasNunique(path, "dtype=str, keep_default_na=False, na_values=['']");
  await assertDistinctCounts(path, spellings);
});
