import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adviseFootprint } from '../../../src/core/footprint/advisor';
import { planDowncast } from '../../../src/core/footprint/advice';
import { generateCode, pyStr } from '../../../src/core/footprint/codegen';
import { planFit, planSubsample } from '../../../src/core/footprint/subsample';
import { column, int, result } from './adviceFixtures';

const cols = () => [
  int('age', 1000, 0, 99),
  column({ name: 'day', dtype: 'object', valueKind: 'string', bytes: 59_000, dateLike: true }),
  column({
    name: 'it\'s "x"\n',
    dtype: 'object',
    valueKind: 'string',
    bytes: 60_000,
    distinct: 3,
    categoryBytes: 1_200,
  }),
];

test('Python string literals escape quotes, backslashes and control characters, keep unicode', () => {
  assert.equal(pyStr('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(pyStr('x\ny\t\u0001'), '"x\\ny\\t\\x01"');
  assert.equal(pyStr('café 😀'), '"café 😀"');
  assert.equal(pyStr('C:\\data\\x.csv'), '"C:\\\\data\\\\x.csv"');
});

test('CSV code applies the plan at load time and states the footprint', () => {
  const r = result(cols(), 1000);
  const plan = planDowncast(r);
  const code = generateCode(r, plan);
  assert.match(code, /^import pandas as pd\n\ndf = pd\.read_csv\(\n {4}"data\/sample\.csv",/);
  assert.match(code, /"age": "int8",/);
  assert.match(code, /"it's \\"x\\"\\n": "category",/);
  assert.match(code, /parse_dates=\["day"\]/);
  assert.ok(code.includes(`== ${plan.suggestedTotalBytes.toLocaleString('en-US')} bytes`), code);
});

test('TSV uses read_table; a file with nothing to change loads plainly', () => {
  const r = result([column({ name: 'x', dtype: 'int8', bytes: 10, min: 0, max: 1 })], 10, {
    format: 'tsv',
    file: 'a.tsv',
  });
  const code = generateCode(r, planDowncast(r));
  assert.match(code, /df = pd\.read_table\("a\.tsv"\)/);
});

test('Parquet code converts after reading and states the peak honestly', () => {
  const r = result(cols(), 1000, { format: 'parquet', file: 'x.parquet' });
  const plan = planDowncast(r);
  const code = generateCode(r, plan);
  assert.match(code, /df = pd\.read_parquet\("x\.parquet"\)\ndf = df\.astype\(\{/);
  assert.match(code, /"day": "datetime64\[ns\]"/);
  const peak = r.totalBytes + 1000 + 8000 + 1_200;
  assert.ok(code.includes(`at least ${peak.toLocaleString('en-US')} bytes`), code);
});

test('sub-sample plan: loading process plus one copy per worker, margin kept free', () => {
  // 10 MB frame, 100 MB available, 20% margin -> 80 MB budget.
  const p = planSubsample(10_000_000, 132, { availableBytes: 100_000_000, cores: 4 });
  assert.equal(p.copies, 5);
  assert.equal(p.sampleFraction, 1);
  assert.equal(p.maxWorkersFullSize, 4, 'capped at the core count');
  const many = planSubsample(10_000_000, 132, { availableBytes: 100_000_000, cores: 16, workers: 4 });
  assert.equal(many.maxWorkersFullSize, 7, '8 copies fit: the parent plus 7 workers');
  const tight = planSubsample(50_000_000, 132, { availableBytes: 100_000_000, cores: 4 });
  // 80 MB / 5 copies = 16 MB each -> 0.32 of the rows.
  assert.equal(tight.sampleFraction, 0.31);
  assert.ok(tight.sampleFrameBytes * tight.copies <= tight.budgetBytes);
  assert.equal(tight.maxWorkersFullSize, 1, 'one copy fits: n_jobs=1 runs in the parent');
  assert.equal(planSubsample(200_000_000, 132, { availableBytes: 100_000_000, cores: 1 }).maxWorkersFullSize, 0);
});

test('when even the planned frame does not fit: drop the heaviest columns, or stream chunks', () => {
  const r = result(
    [int('a', 1_000_000, 0, 99), int('b', 1_000_000, 0, 2 ** 40), int('c', 1_000_000, 0, 60_000)],
    1_000_000,
  );
  const plan = planDowncast(r); // a: 1 MB, b: 8 MB, c: 2 MB
  const fit = planFit(plan, r.rows, { availableBytes: 5_000_000, cores: 2 }); // budget 4 MB
  assert.equal(fit.fits, false);
  assert.deepEqual(fit.usecols?.drop, ['b']);
  assert.deepEqual(fit.usecols?.keep, ['a', 'c']);
  assert.equal(fit.usecols?.bytes, 132 + 1_000_000 + 2_000_000);
  assert.ok(fit.chunks && fit.chunks.chunkBytes <= fit.budgetBytes / 10);
  const advice = adviseFootprint(r, { env: { availableBytes: 5_000_000, cores: 2 } });
  assert.match(advice.fit!.usecolsCode!, /usecols=\["a", "c"\]/);
  assert.match(advice.fit!.chunksCode!, /^for chunk in pd\.read_csv\(/m);
  assert.match(advice.fit!.chunksCode!, /chunksize=\d/);
});

test('the advice totals and the saved share come from the plan', () => {
  const advice = adviseFootprint(result(cols(), 1000));
  assert.equal(advice.savedBytes, advice.plan.totalBytes - advice.plan.suggestedTotalBytes);
  assert.ok(advice.savedPercent > 50 && advice.savedPercent < 100);
  assert.equal(advice.subsample, undefined);
});
