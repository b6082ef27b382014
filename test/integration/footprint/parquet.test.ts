// Parquet footprints equal pandas.read_parquet(...).memory_usage(deep=True) under pandas 3 (arrow
// and Python strings) and 2.2. pandas 1.5 here has no pyarrow, so it cannot read Parquet at all.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parquetMetadata } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { textStats } from '../../../src/core/footprint/parquetColumns';
import { getPool } from '../../../src/core/footprint/pool';
import { analyzeFile, closeFootprintPool, footprintWorkerPath, FootprintError } from '../../../src/core/footprint';
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

describe('parquet quick mode', () => {
  for (const m of models) {
    it(`samples a big text column and stays within 3% of pandas under ${m.label}`, async () => {
      const i = files.findIndex((f) => f.endsWith('big-pool.parquet'));
      const want = truth.get(m.label)![i];
      const got = await analyzeFile(files[i], { model: m.model, mode: 'quick' });
      assert.equal(got.mode, 'quick');
      assert.ok(got.uncertaintyPercent > 0 && got.uncertaintyPercent < 3, `+-${got.uncertaintyPercent}%`);
      assert.equal(got.rows, want.rows);
      const off = (100 * Math.abs(got.totalBytes - want.total!)) / want.total!;
      assert.ok(off < 3, `quick ${got.totalBytes} vs pandas ${want.total}: ${off.toFixed(3)}% off`);
      // only the sampled text column is estimated; the others are exact
      const exact = await analyzeFile(files[i], { model: m.model, mode: 'exact' });
      const differ = got.columns.filter((c, j) => c.bytes !== exact.columns[j].bytes).map((c) => c.name);
      assert.deepEqual(differ, ['text']);
    });
  }

  it('a sample with many distinct values counts as high-cardinality, not as categories', async () => {
    const path = files.find((f) => f.endsWith('big-grouped.parquet'))!;
    const quick = await analyzeFile(path, { model: models[0].model, mode: 'quick' });
    const exact = await analyzeFile(path, { model: models[0].model, mode: 'exact' });
    assert.equal(quick.mode, 'quick');
    assert.equal(exact.columns[0].distinct, null);
    assert.equal(quick.columns[0].distinct, null, 'the sample saw 32,000 distinct values of 200,000');
    assert.equal(quick.columns[0].highCardinality, true);
    assert.equal(quick.columns[0].categoryBytes, null);
  });

  it('a sample may end anywhere: inside a header, a page or the dictionary', async () => {
    const path = files.find((f) => f.endsWith('big-pool.parquet'))!;
    const bytes = readFileSync(path);
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length);
    const metadata = parquetMetadata(buffer);
    const leaf = metadata.row_groups[0].columns.findIndex((c) => c.meta_data!.path_in_schema[0] === 'text');
    const meta = metadata.row_groups[0].columns[leaf].meta_data!;
    const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
    // where the first three pages' headers start, relative to the column chunk
    const reader = { view: new DataView(buffer, start), offset: 0 };
    const headers: number[] = [];
    for (let i = 0; i < 3; i++) {
      headers.push(reader.offset);
      const size = parquetHeader(reader).compressed_page_size;
      reader.offset += size;
    }
    const file = { byteLength: buffer.byteLength, slice: (a: number, b?: number) => buffer.slice(a, b) };
    const prefixes = headers.flatMap((h) => Array.from({ length: 48 }, (_, k) => h + k - 4)).filter((p) => p > 0);
    for (const prefixBytes of prefixes) {
      const t = await textStats(file, metadata, leaf, false, { groups: [0], prefixBytes });
      assert.ok(t.pages!.length >= 1 && t.rows > 0, `prefix ${prefixBytes}`);
      assert.equal(
        t.pages!.reduce((a, p) => a + p.rows, 0),
        t.rows,
      );
    }
  });

  it('reads small text columns whole: exact, and says so', async () => {
    const got = await analyzeFile(
      files.find((f) => f.endsWith('types-snappy.parquet'))!,
      {
        model: models[0].model,
        mode: 'quick',
      },
    );
    assert.equal(got.mode, 'exact');
    assert.equal(got.uncertaintyPercent, 0);
  });
});

describe('parquet columns read in the worker pool', () => {
  const big = () => files.find((f) => f.endsWith('big-pool.parquet'))!;
  after(() => closeFootprintPool());

  it('a file over 8 MB is read in the pool, one task a column to read; a small one in-thread', async () => {
    assert.ok(footprintWorkerPath(), 'the footprint worker is built (npm run build)');
    assert.ok(statSync(big()).size > 8 * 1024 * 1024);
    const completed = () => getPool(1)!.completed;
    let before = completed();
    const got = await analyzeFile(big(), { model: models[0].model, mode: 'exact' });
    // id and price (numbers the row-group statistics do not answer), text, city and when (text)
    assert.equal(completed() - before, 5);
    assert.equal(got.totalBytes, truth.get(models[0].label)![files.indexOf(big())].total);
    before = completed();
    await analyzeFile(
      files.find((f) => f.endsWith('types-snappy.parquet'))!,
      { model: models[0].model, mode: 'exact' },
    );
    assert.equal(completed() - before, 0);
  });

  it('cancelling stops the reads and leaves the pool usable', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const running = analyzeFile(big(), { model: models[0].model, mode: 'exact', signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    await assert.rejects(running, (e: FootprintError) => e.code === 'cancelled');
    assert.ok(performance.now() - started < 5_000);
    const again = await analyzeFile(big(), { model: models[0].model, mode: 'exact' });
    assert.equal(again.totalBytes, truth.get(models[0].label)![files.indexOf(big())].total);
  });

  it('a corrupt page is reported as a Parquet problem naming its column, in the pool and in-thread', async () => {
    // the page header of a text column's first data page overwritten
    const corrupt = (source: string, column: string, target: string) => {
      const bytes = readFileSync(source);
      const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      const chunk = metadata.row_groups[0].columns.find((c) => c.meta_data!.path_in_schema[0] === column)!;
      const at = Number(chunk.meta_data!.data_page_offset);
      bytes.fill(0xff, at, at + 24);
      writeFileSync(target, bytes);
      return target;
    };
    const cases = [
      corrupt(big(), 'text', join(dir, 'corrupt-pool.parquet')),
      corrupt(
        files.find((f) => f.endsWith('types-none.parquet'))!,
        's',
        join(dir, 'corrupt-in-thread.parquet'),
      ),
    ];
    assert.ok(statSync(cases[1]).size < 8 * 1024 * 1024);
    for (const [path, column] of [
      [cases[0], 'text'],
      [cases[1], 's'],
    ]) {
      for (const mode of ['quick', 'exact'] as const) {
        const error = await analyzeFile(path, { model: models[0].model, mode }).then(
          () => assert.fail(`${path} was read in ${mode} mode`),
          (e: FootprintError) => e,
        );
        assert.equal(error.code, 'parquet', error.message);
        assert.ok(error.message.startsWith(`Column '${column}' cannot be decoded`), error.message);
      }
    }
  });
});
