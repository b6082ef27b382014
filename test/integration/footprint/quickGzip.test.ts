// Quick mode on .gz (issue 18, point 3): gzip cannot seek, so quick mode inflates the whole stream and
// parses a head and evenly spread pieces of it. On a file whose tail differs from its head (short
// ASCII notes and ints, then longer non-ASCII notes and decimals), the true total (real pandas) lies
// within the stated +-, and the rows too (a sample of the head alone stated 23,952,088 bytes +-3% for
// pandas' 22,660,066); a small .gz is read whole (exact).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool } from '../../../src/core/footprint';
import { pythons } from '../../support/python';
import { pandasTruth, type TruthResult } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-quickgz-'));
const model = { pandas: '3.0', python: '3.11', pyarrow: true };
const big = join(dir, 'tailDiffers.csv.gz');
const small = join(dir, 'small.csv.gz');
let truth: TruthResult[] = [];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

before(() => {
  const r = rng(5);
  const rows = 600_000;
  const lines = ['id,label,value,note'];
  for (let i = 0; i < rows; i++) {
    // the last 30% of the rows: decimals instead of small ints, longer non-ASCII notes
    const tail = i >= rows * 0.7;
    const value = tail ? (r() * 100).toFixed(1) : Math.floor(r() * 100);
    const note = tail ? 'ü' + Math.floor(r() * 1000) : 'n' + Math.floor(r() * 10);
    lines.push(`${i},l${Math.floor(r() * 100)},${value},${note}`);
  }
  const text = lines.join('\n') + '\n';
  writeFileSync(big, gzipSync(text, { level: 1 }));
  writeFileSync(small, gzipSync(lines.slice(0, 2000).join('\n') + '\n'));
  truth = pandasTruth(pythons.test, [
    { path: big, format: 'csv' },
    { path: small, format: 'csv' },
  ]);
});
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

describe('quick mode on gzip samples the whole stream', () => {
  it('the true total of a file whose tail differs lies within the stated +-', async () => {
    const want = truth[0];
    const progress: number[] = [];
    const got = await analyzeFile(big, { model, mode: 'quick', onProgress: (f) => progress.push(f) });
    assert.equal(got.mode, 'quick');
    // the whole stream is read: progress climbs through it to the end
    assert.ok(progress.length >= 10, `${progress.length} progress reports`);
    assert.ok(progress.every((f, i) => i === 0 || f >= progress[i - 1]));
    assert.equal(progress[progress.length - 1], 1);
    const off = Math.abs(got.totalBytes - want.total!) / want.total!;
    assert.ok(
      off * 100 <= got.uncertaintyPercent,
      `quick ${got.totalBytes} ±${got.uncertaintyPercent}%, pandas ${want.total} (${(off * 100).toFixed(2)}% off)`,
    );
    assert.ok(got.uncertaintyPercent <= 10, `±${got.uncertaintyPercent}% says something`);
    assert.ok(Math.abs(got.rows - want.rows!) / want.rows! < 0.05, `rows ${got.rows} vs ${want.rows}`);
    // the tail's columns are seen: the decimals make `value` float64 as in pandas
    assert.deepEqual(
      got.columns.map((c) => c.dtype),
      want.columns!.map((c) => c.dtype),
    );
  });

  it('a .gz small enough for the sample is read whole: exact', async () => {
    const got = await analyzeFile(small, { model, mode: 'quick' });
    assert.equal(got.mode, 'exact');
    assert.equal(got.totalBytes, truth[1].total);
    assert.equal(got.rows, truth[1].rows);
  });
});
