// Exact mode equals real pandas to the byte on every corpus file, under pandas 3 (arrow and Python
// strings), 2.2 and 1.5. CPython 3.12 string sizes cannot be checked here (no 3.12 interpreter):
// test/unit/footprint/sizes.test.ts checks that formula against the documented object layout.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool, FootprintError } from '../../../src/core/footprint';
import { writeCorpus, type CorpusFile } from './corpus';
import { pandasTruth, truthModels, type TruthResult } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-footprint-'));
let corpus: CorpusFile[] = [];
const truth = new Map<string, TruthResult[]>();

before(() => {
  corpus = writeCorpus(dir);
  for (const m of truthModels) {
    truth.set(
      m.label,
      pandasTruth(
        m.python,
        corpus.map((f) => ({ path: f.path, format: f.format, read: f.read })),
        m.args,
      ),
    );
  }
});
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

describe('exact mode equals pandas memory_usage(deep=True)', () => {
  for (const m of truthModels) {
    it(`every corpus file under ${m.label}`, async () => {
      const expected = truth.get(m.label)!;
      const failures: string[] = [];
      for (let i = 0; i < corpus.length; i++) {
        const file = corpus[i];
        const want = expected[i];
        let got;
        try {
          got = await analyzeFile(file.path, { model: m.model, mode: 'exact', read: file.read, workers: 2 });
        } catch (error) {
          failures.push(`${file.name}: engine threw ${(error as Error).message}; pandas: ${want.error ?? want.total}`);
          continue;
        }
        if (want.error) {
          failures.push(`${file.name}: pandas raised ${want.error}, engine gave ${got.totalBytes}`);
          continue;
        }
        const cols = got.columns.map((c) => `${c.name}:${c.dtype}:${c.bytes}`).join(' ');
        const wantCols = want.columns!.map((c) => `${c.name}:${c.dtype}:${c.bytes}`).join(' ');
        if (
          got.totalBytes !== want.total ||
          got.rows !== want.rows ||
          cols !== wantCols ||
          got.indexBytes !== want.index
        ) {
          failures.push(
            `${file.name}: engine ${got.totalBytes} rows=${got.rows} idx=${got.indexBytes} [${cols}]\n     pandas ${want.total} rows=${want.rows} idx=${want.index} [${wantCols}]`,
          );
        }
        const warned = got.warnings.some((w) => w.startsWith('DtypeWarning'));
        if (warned !== want.warnings!.length > 0)
          failures.push(`${file.name}: DtypeWarning engine=${warned} pandas=${want.warnings!.length > 0}`);
      }
      assert.deepEqual(failures, []);
    });
  }
  it('reports errors as FootprintError', () => assert.ok(FootprintError));
});
