// The plan's promise, checked in real pandas: the generated code, run as is, gives a frame whose
// memory_usage(deep=True).sum() equals suggestedTotalBytes to the byte. The scan here is pandas'
// own (pandas_profile.py), so this checks the advisor alone; adviceEngine.test.ts checks it on the engine's scan.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planDowncast } from '../../../src/core/footprint/advice';
import { adviseFootprint } from '../../../src/core/footprint/advisor';
import { generateCode } from '../../../src/core/footprint/codegen';
import { pythons, requirePython } from '../../support/python';
import { ASCII_CITIES, corpusRows, csvToParquet, measureCode, profile, writeDelimited } from './adviceCorpus';

const dir = mkdtempSync(join(tmpdir(), 'headroom-advice-'));

const table = corpusRows(3000);
const csv = join(dir, 'corpus.csv');
writeDelimited(csv, table, ',');
const tsvGz = join(dir, 'corpus.tsv.gz');
writeDelimited(tsvGz, table, '\t', true);

const envs: [string, string][] = [
  ['pandas 3 + pyarrow', pythons.test],
  ['pandas 2.2', pythons.pandas2],
  ['pandas 1.5', pythons.pandas1],
];

for (const [label, python] of envs) {
  for (const [file, format] of [
    [csv, 'csv'],
    [tsvGz, 'tsv'],
  ] as const) {
    test(`${label}: the ${format} plan's code gives exactly suggestedTotalBytes`, () => {
      requirePython(python);
      const scan = profile(python, file, format);
      const plan = planDowncast(scan);
      const kinds = new Set(plan.columns.map((c) => c.suggestion?.kind).filter(Boolean));
      for (const kind of ['integer', 'nullable-integer', 'float32', 'category', 'datetime', 'boolean']) {
        assert.ok(kinds.has(kind as never), `the corpus exercises ${kind}: ${[...kinds].join(', ')}`);
      }
      assert.ok(plan.suggestedTotalBytes < scan.totalBytes / 2);
      const measured = measureCode(python, generateCode(scan, plan));
      assert.equal(measured.bytes, plan.suggestedTotalBytes);
      for (const c of plan.columns) {
        if (c.suggestion?.kind === 'datetime') assert.match(measured.dtypes[c.name], /^datetime64/);
        else assert.equal(measured.dtypes[c.name], c.plannedDtype, c.name);
      }
    });
  }
}

const asciiCsv = join(dir, 'ascii.csv');
writeDelimited(asciiCsv, corpusRows(3000, 11, ASCII_CITIES), ',');

for (const [label, python] of envs.slice(0, 2)) {
  for (const [source, name] of [
    [asciiCsv, 'ASCII categories'],
    [csv, 'non-ASCII categories'],
  ] as const) {
    // The profile measures what astype('category') costs on this path (pandas < 3 keeps the UTF-8
    // form of non-ASCII categories after it), so the plan's total must match exactly either way.
    test(`${label}: the parquet plan's read_parquet + astype gives exactly suggestedTotalBytes (${name})`, () => {
      const parquet = join(dir, `${name.replace(/\W+/g, '-')}-${label.replace(/\W+/g, '-')}.parquet`);
      csvToParquet(requirePython(python), source, parquet);
      const scan = profile(python, parquet, 'parquet');
      const plan = planDowncast(scan);
      assert.ok(Object.keys(plan.dtype).length >= 5, JSON.stringify(plan.dtype));
      assert.equal(plan.parseDates.length, 1);
      const measured = measureCode(python, generateCode(scan, plan));
      assert.equal(measured.bytes, plan.suggestedTotalBytes);
    });
  }
}

test('sparse: SparseDtype(dtype, 0) holds exactly the predicted bytes in every pandas', () => {
  for (const [, python] of envs) {
    const scan = profile(python, csv, 'csv');
    const plan = planDowncast(scan);
    const clicks = plan.sparse.find((s) => s.name === 'clicks');
    assert.ok(clicks, 'clicks is 90% zeros');
    const code = `${generateCode(scan, plan)}\ndf = df[["clicks"]].astype({"clicks": pd.SparseDtype("${clicks.dtype}", ${clicks.fill})})`;
    const measured = measureCode(python, code);
    assert.equal(measured.bytes, scan.indexBytes + clicks.bytes);
  }
});

test('usecols, sample and chunk code run in every pandas; usecols gives exactly its stated bytes', () => {
  for (const [label, python] of envs) {
    const scan = profile(python, csv, 'csv');
    // A budget below the planned frame, so every fallback is generated.
    const advice = adviseFootprint(scan, { env: { availableBytes: 150_000, cores: 2, workers: 2 } });
    const fit = advice.fit!;
    assert.equal(fit.fits, false, label);
    assert.ok(fit.usecols && fit.usecolsCode && fit.chunksCode && advice.subsample?.code, label);
    assert.equal(measureCode(python, fit.usecolsCode).bytes, fit.usecols.bytes, `${label}: usecols`);
    const sample = advice.subsample!;
    const rowsProbe = `${sample.code}\nprint(len(df))`;
    const run = spawnSync(python, ['-c', rowsProbe], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const rows = Number(run.stdout.trim());
    const expected = sample.sampleFraction * scan.rows;
    const sigma = Math.sqrt(scan.rows * sample.sampleFraction * (1 - sample.sampleFraction));
    assert.ok(Math.abs(rows - expected) < 5 * sigma, `${label}: ${rows} rows sampled, expected about ${expected}`);
    const chunks = spawnSync(python, ['-c', fit.chunksCode.replace('...  #', 'n = len(chunk)  #')], {
      encoding: 'utf8',
    });
    assert.equal(chunks.status, 0, chunks.stderr);
  }
});
