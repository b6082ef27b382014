// Parquet footprints equal pandas.read_parquet(...).memory_usage(deep=True) under pandas 3 (arrow
// and Python strings) and 2.2. pandas 1.5 here has no pyarrow, so it cannot read Parquet at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFile } from '../../../src/core/footprint';
import { pythons } from '../../support/python';
import { pandasTruth, truthModels, type TruthResult } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-parquet-'));
let files: string[] = [];
const truth = new Map<string, TruthResult[]>();
const models = truthModels.filter((m) => m.python !== pythons.pandas1);

before(() => {
  const made = spawnSync(pythons.test, [join(__dirname, 'parquetCorpus.py'), dir], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  files = readdirSync(dir)
    .map((f) => join(dir, f))
    .sort();
  for (const m of models)
    truth.set(
      m.label,
      pandasTruth(
        m.python,
        files.map((path) => ({ path, format: 'parquet' as const })),
        m.args,
      ),
    );
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('parquet exact footprint equals pandas', () => {
  for (const m of models) {
    it(`every parquet file under ${m.label}`, async () => {
      const failures: string[] = [];
      for (let i = 0; i < files.length; i++) {
        const want = truth.get(m.label)![i];
        const got = await analyzeFile(files[i], { model: m.model, mode: 'exact' });
        assert.equal(got.format, 'parquet');
        const cols = got.columns.map((c) => `${c.name}:${c.dtype}:${c.bytes}`).join(' ');
        const wantCols = want.columns!.map((c) => `${c.name}:${c.dtype}:${c.bytes}`).join(' ');
        if (got.totalBytes !== want.total || got.rows !== want.rows || cols !== wantCols) {
          failures.push(
            `${files[i]}:\n  engine ${got.totalBytes} idx=${got.indexBytes} ${cols}\n  pandas ${want.total} idx=${want.index} ${wantCols}`,
          );
        }
      }
      assert.deepEqual(failures, []);
    });
  }
});
