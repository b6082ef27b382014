// Values outside float64's range (issue 17, point 2): pandas 1.5 and 2.2 keep a block holding one
// (e.g. `1e400`) as text, so a float column becomes object (with a DtypeWarning when other blocks
// are floats); pandas 3.0 reads inf. Checked against real pandas 1.5, 2.2 and 3.0.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool } from '../../../src/core/footprint';
import { pandasTruth, truthModels } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-floatrange-'));
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

// Two low_memory blocks (524,288 rows each for one column): the overflow falls in the first.
const ROWS = 600_000;
const long = join(dir, 'overflow-long.csv');
writeFileSync(
  long,
  'x\n' + Array.from({ length: ROWS }, (_, i) => (i === 300_000 ? '1e400' : `${i % 1000}.25`)).join('\n') + '\n',
);

// One column per edge of pandas' precise_xstrtod (17 digits kept, exponent > 308 refused before
// multiplying, inf after multiplying refused), each beside an ordinary float.
const edges = [
  '1e308',
  '1.7976931348623157e308',
  '1.7976931348623158e308',
  '1.8e308',
  '1e309',
  '10e308',
  '-1e400',
  '1E400',
  '0e400',
  '000000e500',
  '1e-400',
  '1e-700',
  '123456789012345678901234567890e300',
  '1' + '0'.repeat(308) + '.5',
  '1' + '0'.repeat(309) + '.5',
  '0.' + '0'.repeat(400) + '1e400',
  '0'.repeat(400) + '1.5',
  ' 1e400 ',
];
const edgesPath = join(dir, 'overflow-edges.csv');
writeFileSync(
  edgesPath,
  edges.map((_, i) => `c${i}`).join(',') + '\n' + edges.map(() => '1.5').join(',') + '\n' + edges.join(',') + '\n',
);

describe('floats outside float64 range, per pandas version', () => {
  for (const m of truthModels) {
    it(`under ${m.label}: dtype, deep bytes and DtypeWarning as pandas`, async () => {
      const [wantLong, wantEdges] = pandasTruth(
        m.python,
        [
          { path: long, format: 'csv' },
          { path: edgesPath, format: 'csv' },
        ],
        m.args,
      );
      for (const [path, want] of [
        [long, wantLong],
        [edgesPath, wantEdges],
      ] as const) {
        const got = await analyzeFile(path, { model: m.model, mode: 'exact', workers: 2 });
        const cols = got.columns.map((c) => `${c.name}:${c.dtype}:${c.bytes}`);
        const wantCols = want.columns!.map((c) => `${c.name}:${c.dtype}:${c.bytes}`);
        assert.deepEqual(cols, wantCols, path);
        assert.equal(got.totalBytes, want.total, path);
        const warned = got.warnings.some((w) => w.startsWith('DtypeWarning'));
        assert.equal(warned, want.warnings!.length > 0, `DtypeWarning on ${path}`);
      }
      // the 1.5 / 2.2 case of the issue: an object column, not 8 bytes a row
      if (m.model.pandas !== '3.0') assert.equal(wantLong.columns![0].dtype, 'object');
    });
  }
});
