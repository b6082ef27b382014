// The engine's scan feeding the plan: for each pandas, the generated code run in real pandas gives
// exactly the suggestedTotalBytes computed from Headroom's own scan (no pandas in the loop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFile } from '../../../src/core/footprint/index';
import { adviseFootprint } from '../../../src/core/footprint/advisor';
import { resolvePandasModel } from '../../../src/core/python';
import { pythons, requirePython } from '../../support/python';
import { ASCII_CITIES, corpusRows, csvToParquet, measureCode, profile, writeDelimited } from './adviceCorpus';

const dir = mkdtempSync(join(tmpdir(), 'headroom-advice-engine-'));
const csv = join(dir, 'corpus.csv');
writeDelimited(csv, corpusRows(4000, 5), ',');
const tsvGz = join(dir, 'corpus.tsv.gz');
writeDelimited(tsvGz, corpusRows(4000, 5), '\t', true);
const asciiCsv = join(dir, 'ascii.csv');
writeDelimited(asciiCsv, corpusRows(4000, 9, ASCII_CITIES), ',');

const envs = [
  ['pandas 3 + pyarrow', pythons.test],
  ['pandas 2.2', pythons.pandas2],
  ['pandas 1.5', pythons.pandas1],
] as const;

for (const [label, python] of envs) {
  for (const file of [csv, tsvGz]) {
    test(`${label}: engine scan -> plan -> code gives exactly suggestedTotalBytes (${file.split('/').pop()})`, async () => {
      const { model } = await resolvePandasModel(requirePython(python));
      const result = await analyzeFile(file, { model, mode: 'exact' });
      const advice = adviseFootprint(result);
      assert.ok(advice.savedPercent > 40, `saves ${advice.savedPercent}%`);
      const measured = measureCode(python, advice.code);
      assert.equal(measured.bytes, advice.plan.suggestedTotalBytes);
    });
  }
}

// Parquet: the plan converts with .astype after reading, so the scan's categoryBytes must be what
// astype('category') costs (pandas 3: no hash table; pandas < 3: the hash table, and CPython keeps
// the UTF-8 form of each non-ASCII category: +len+1 bytes).
for (const [label, python] of envs.slice(0, 2)) {
  for (const [source, name] of [
    [asciiCsv, 'ASCII'],
    [csv, 'non-ASCII'],
  ] as const) {
    test(`${label}: engine scan of Parquet (${name} categories) -> read_parquet + astype gives exactly suggestedTotalBytes`, async () => {
      const parquet = join(dir, `${name}-${label.replace(/\W+/g, '-')}.parquet`);
      csvToParquet(requirePython(python), source, parquet);
      const { model } = await resolvePandasModel(python);
      const result = await analyzeFile(parquet, { model, mode: 'exact' });
      const advice = adviseFootprint(result);
      assert.ok(
        advice.plan.columns.some((c) => c.suggestion?.kind === 'category'),
        'the corpus has category candidates',
      );
      const kinds = new Set(advice.plan.columns.map((c) => c.suggestion?.kind));
      assert.ok(kinds.has('float32') && kinds.has('datetime'), `Parquet plans: ${[...kinds].join(', ')}`);
      const measured = measureCode(python, advice.code);
      assert.equal(measured.bytes, advice.plan.suggestedTotalBytes);
      // what the metadata does not say, measured from the values as pandas measures them
      const truth = new Map(profile(python, parquet, 'parquet').columns.map((c) => [c.name, c]));
      for (const c of result.columns) {
        const t = truth.get(c.name)!;
        // (the profile leaves allIntegral false for int columns: compared for floats only)
        const floats = c.valueKind === 'float';
        const got = { zeros: c.zeros, allIntegral: floats && c.allIntegral, float32: c.float32, dateLike: c.dateLike };
        const want = { zeros: t.zeros, allIntegral: floats && t.allIntegral, float32: t.float32, dateLike: t.dateLike };
        assert.deepEqual(got, want, c.name);
      }
    });
  }
}

// Inference reads any case of true/false as a bool, but dtype='boolean' takes only True/TRUE/true and
// False/FALSE/false: a column written "tRuE" gets no boolean suggestion, and the code still runs.
const oddBools = join(dir, 'odd-bools.csv');
writeFileSync(
  oddBools,
  'n,plain,odd\n' +
    Array.from({ length: 300 }, (_, i) => `${i},${['True', '', 'false'][i % 3]},${['tRuE', '', 'False'][i % 3]}`).join(
      '\n',
    ) +
    '\n',
);

for (const [label, python] of envs) {
  test(`${label}: a bool column spelled tRuE gets no boolean suggestion; the code runs as planned`, async () => {
    const { model } = await resolvePandasModel(requirePython(python));
    const result = await analyzeFile(oddBools, { model, mode: 'exact' });
    const byName = Object.fromEntries(result.columns.map((c) => [c.name, c]));
    assert.deepEqual(byName.odd.oddBoolSpellings, ['tRuE']);
    assert.deepEqual(byName.plain.oddBoolSpellings, []);
    const advice = adviseFootprint(result);
    const kinds = Object.fromEntries(advice.plan.columns.map((c) => [c.name, c.suggestion?.kind ?? null]));
    assert.equal(kinds.plain, 'boolean');
    assert.equal(kinds.odd, null);
    const measured = measureCode(python, advice.code);
    assert.equal(measured.bytes, advice.plan.suggestedTotalBytes);
    assert.equal(measured.dtypes.plain, 'boolean');
  });
}
