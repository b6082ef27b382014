// From 32 columns on, the scan parses the integers of tracked columns in its loop and counts a value
// seen before from a bitmap instead of its column's set. The distinct values stay the spellings, as
// pandas keeps them for dtype='category' ("7" and "007" are two categories), with one worker or two.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { analyzeFile, closeFootprintPool } from '../../../src/core/footprint';
import { pythons, requirePython } from '../../support/python';
import { wideCodes } from './corpus';

const dir = mkdtempSync(join(tmpdir(), 'headroom-wide-codes-'));
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

it('distinct values of a wide file of integer codes are the spellings pandas keeps', async () => {
  const path = join(dir, 'codes.csv');
  writeFileSync(path, wideCodes(70_000));
  const script = `import pandas as pd, json; print(json.dumps(pd.read_csv(${JSON.stringify(path)}, dtype=str, keep_default_na=False, na_values=['']).nunique().tolist()))`;
  const py = spawnSync(requirePython(pythons.test), ['-c', script], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stderr);
  const spellings = JSON.parse(py.stdout) as number[];
  for (const workers of [1, 2]) {
    const got = await analyzeFile(path, {
      model: { pandas: '3.0', python: '3.11', pyarrow: true },
      mode: 'exact',
      workers,
    });
    assert.deepEqual(
      got.columns.map((c) => c.distinct),
      spellings,
      `${workers} worker(s)`,
    );
  }
});
