// Quick mode: a bounded sample of the file, extrapolated; within 3% of real pandas on large-ish
// files (quoted newlines included), and it says how uncertain it is.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool } from '../../../src/core/footprint';
import { pandasTruth, truthModels, type TruthResult } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-quick-'));
const files: string[] = [];
const truth = new Map<string, TruthResult[]>();

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

before(() => {
  const r = rng(5);
  const cities = ['Paris', 'Zürich', '東京', 'Lagos'];
  const lines = ['id,amount,ratio,city,flag,note'];
  for (let i = 0; i < 400_000; i++) {
    const note = r() < 0.05 ? `"two\nlines, ${i}"` : r() < 0.1 ? '' : `n${Math.floor(r() * 1e6)}`;
    lines.push(
      `${i},${(r() * 1000).toFixed(2)},${r() < 0.02 ? '' : r().toPrecision(12)},${cities[i % 4]},${r() < 0.5},${note}`,
    );
  }
  const text = lines.join('\n') + '\n';
  files.push(join(dir, 'sample.csv'), join(dir, 'sample.csv.gz'));
  writeFileSync(files[0], text);
  writeFileSync(files[1], gzipSync(text));
  for (const m of truthModels)
    truth.set(
      m.label,
      pandasTruth(
        m.python,
        files.map((path) => ({ path, format: 'csv' as const })),
        m.args,
      ),
    );
});
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

describe('quick mode', () => {
  for (const m of truthModels) {
    it(`is within 3% of pandas under ${m.label}`, async () => {
      for (let i = 0; i < files.length; i++) {
        const want = truth.get(m.label)![i];
        const got = await analyzeFile(files[i], { model: m.model, mode: 'quick' });
        assert.equal(got.mode, 'quick');
        const error = Math.abs(got.totalBytes - want.total!) / want.total!;
        assert.ok(
          error < 0.03,
          `${files[i]}: quick ${got.totalBytes} vs pandas ${want.total} (${(100 * error).toFixed(2)}%)`,
        );
        assert.ok(Math.abs(got.rows - want.rows!) / want.rows! < 0.03, `rows ${got.rows} vs ${want.rows}`);
        assert.ok(got.uncertaintyPercent > 0);
        assert.deepEqual(
          got.columns.map((c) => c.dtype),
          want.columns!.map((c) => c.dtype),
        );
      }
    });
  }
  it('small files are scanned whole and reported exact', async () => {
    const path = join(dir, 'small.csv');
    writeFileSync(path, 'a,b\n1,x\n2,y\n');
    const got = await analyzeFile(path, { model: truthModels[0].model, mode: 'quick' });
    assert.equal(got.mode, 'exact');
    assert.equal(got.uncertaintyPercent, 0);
    assert.equal(got.rows, 2);
  });
});
