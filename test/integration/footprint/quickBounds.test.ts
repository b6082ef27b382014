// Quick mode under hostile input (issue 17, points 1 and 4): its rows and its +- come from what it
// read; a sample that cannot bound the result (records far longer than its pieces, very uneven
// records) gives way to the exact scan and says so; records longer than 64 MiB are read as pandas
// reads them. Checked against real pandas on generated files.
import assert from 'node:assert/strict';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool } from '../../../src/core/footprint';
import { pythons } from '../../support/python';
import { pandasTruth, type TruthResult } from './pandasTruth';

const dir = mkdtempSync(join(tmpdir(), 'headroom-quickbounds-'));
const model = { pandas: '3.0', python: '3.11', pyarrow: true };
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

async function write(name: string, header: string, rows: number, row: (i: number) => string): Promise<string> {
  const path = join(dir, name);
  const out = createWriteStream(path);
  out.write(header + '\n');
  let chunk: string[] = [];
  for (let i = 0; i < rows; i++) {
    chunk.push(row(i));
    if (chunk.length === 10_000 || i === rows - 1) {
      if (!out.write(chunk.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      chunk = [];
    }
  }
  await new Promise<void>((done) => out.end(done));
  return path;
}

const words = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
const H = 'id,name,score,cat,note';
const generated: Record<string, (r: () => number) => (i: number) => string> = {
  clean: (r) => (i) =>
    `${i},${words[Math.floor(r() * 8)]}${Math.floor(r() * 1e4)},${(r() * 100).toFixed(4)},${'ABCD'[i % 4]},n${Math.floor(r() * 100)}`,
  // 2% of the records carry 2-20 KB of text
  skewed: (r) => (i) =>
    `${i},x${i},${r().toFixed(2)},${'AB'[i % 2]},${'q'.repeat(r() < 0.02 ? 2000 + Math.floor(r() * 18000) : 1 + Math.floor(r() * 10))}`,
  // runs of 5,000 rows of long text among long runs of short text
  clustered: (r) => (i) =>
    `${i},c,${r().toFixed(3)},${'XYZ'[i % 3]},${Math.floor(i / 5000) % 7 === 3 ? 'long text '.repeat(30) : 'short'}`,
  // the last third differs from the head: non-ASCII text, floats with missing values
  tail: (r) => (i) =>
    i < 160_000
      ? `${i},head,${r().toFixed(3)},K,ascii`
      : `${i},tête-à-tête ünïcödé,${r() < 0.3 ? '' : r().toFixed(5)},K,${'ℵ'.repeat(1 + Math.floor(r() * 30))}`,
};
const rowsOf: Record<string, number> = { clean: 300_000, skewed: 120_000, clustered: 250_000, tail: 240_000 };

describe('quick mode: bounds that hold', () => {
  const paths: Record<string, string> = {};
  const truth: Record<string, TruthResult> = {};
  before(async () => {
    for (const [name, make] of Object.entries(generated))
      paths[name] = await write(`${name}.csv`, H, rowsOf[name], make(rng(name.length * 7919)));
    // 200,000 rows with one 30 MB field in the middle; 2,000 rows with a 70 MB field on line 1,001;
    // a 100 MiB field on line 2 (over the 64 MiB Headroom used to refuse).
    paths.huge30 = await write('huge30.csv', 'id,text,x', 200_000, (i) =>
      i === 100_000 ? `${i},${'x'.repeat(30_000_000)},1.5` : `${i},w${(i * 7919) % 1_000_003},${i % 97}.5`,
    );
    paths.huge70 = await write(
      'huge70.csv',
      'id,text',
      2000,
      (i) => `${i},${i === 999 ? 'y'.repeat(70_000_000) : `v${i}`}`,
    );
    paths.rec100 = await write(
      'rec100.csv',
      'id,text',
      2,
      (i) => `${i + 1},${i === 0 ? 'z'.repeat(100 * 2 ** 20) : 'b'}`,
    );
    const names = Object.keys(paths);
    pandasTruth(
      pythons.test,
      names.map((n) => ({ path: paths[n], format: 'csv' as const })),
    ).forEach((t, i) => (truth[names[i]] = t));
  });

  for (const name of Object.keys(generated)) {
    it(`${name}: pandas' total lies within the stated +- (or quick scanned exactly and says so)`, async () => {
      const want = truth[name];
      const got = await analyzeFile(paths[name], { model, mode: 'quick' });
      const error = (100 * Math.abs(got.totalBytes - want.total!)) / want.total!;
      if (got.mode === 'exact') {
        assert.equal(got.totalBytes, want.total);
        assert.equal(got.rows, want.rows);
        assert.match(got.warnings.join('\n'), /Quick mode scanned the whole file exactly/);
      } else {
        assert.ok(got.uncertaintyPercent <= 10, `stated ±${got.uncertaintyPercent}%`);
        assert.ok(
          error <= got.uncertaintyPercent,
          `${name}: quick ${got.totalBytes} vs pandas ${want.total}: off by ${error.toFixed(2)}%, stated ±${got.uncertaintyPercent}%`,
        );
      }
    });
  }

  for (const name of ['huge30', 'huge70', 'rec100']) {
    it(`${name}: rows and total as pandas, in quick mode (exact scan, said so) and exact mode`, async () => {
      const want = truth[name];
      assert.equal(want.error, undefined, want.error);
      const quick = await analyzeFile(paths[name], { model, mode: 'quick' });
      assert.equal(quick.rows, want.rows);
      assert.equal(quick.totalBytes, want.total);
      assert.equal(quick.mode, 'exact');
      assert.equal(quick.uncertaintyPercent, 0);
      if (name !== 'rec100') assert.match(quick.warnings.join('\n'), /Quick mode scanned the whole file exactly/);
      const exact = await analyzeFile(paths[name], { model, mode: 'exact' });
      assert.equal(exact.rows, want.rows);
      assert.equal(exact.totalBytes, want.total);
    });
  }
});
