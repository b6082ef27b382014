import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import type { FootprintResult } from '../../../src/core/footprint/types';
import {
  analyzeTree,
  forecastMessage,
  getPythonParser,
  hintLabel,
  type ApplicablePlan,
  type Forecast,
} from '../../../src/core/hints';

let parser: Parser;
before(async () => {
  parser = await getPythonParser();
});

const result = (totalBytes: number, mode: 'exact' | 'quick' = 'exact', uncertaintyPercent = 0) =>
  ({
    totalBytes,
    mode,
    uncertaintyPercent,
    model: { pandas: '3.0', python: '3.11', pyarrow: true },
  }) as FootprintResult;
const applicable = (withDtypesBytes: number, savedBytes: number): ApplicablePlan => ({
  dtype: {},
  parseDates: [],
  withDtypesBytes,
  savedBytes,
});
const call = (src: string) => analyzeTree(parser.parse(`import pandas as pd\n${src}`)!).reads[0];

describe('hint text', () => {
  it('reads like the issue, in binary units', () => {
    const label = hintLabel(
      result(448 * 2 ** 20),
      applicable(96 * 2 ** 20, 352 * 2 ** 20),
      call('pd.read_csv("a.csv")'),
    );
    assert.equal(label, '~ 448 MiB in pandas 3.0 | 96.0 MiB with dtypes');
  });

  it('shows the quick estimate uncertainty, and no dtype part when nothing is saved', () => {
    assert.equal(
      hintLabel(result(2 ** 30, 'quick', 2.4), applicable(2 ** 30, 0), call('pd.read_csv("a.csv")')),
      '~ 1.00 GiB ±2.4% in pandas 3.0',
    );
  });

  it('names what it does not account for, and shortens to fit the inlay length limit', () => {
    const c = call('pd.read_csv("a.csv", header=None, index_col=0)');
    const full = hintLabel(result(22.04 * 2 ** 20), applicable(5.44 * 2 ** 20, 1), c);
    assert.equal(full, '~ 22.0 MiB in pandas 3.0 | 5.44 MiB with dtypes | not accounted for: header=None, index_col=0');
    const fitted = hintLabel(result(22.04 * 2 ** 20), applicable(5.44 * 2 ** 20, 1), c, 43);
    assert.ok(fitted.length <= 43, fitted);
    assert.equal(fitted, '~ 22.0 MiB | 2 args not accounted for');
    const plain = hintLabel(result(22.04 * 2 ** 20), applicable(5.44 * 2 ** 20, 1), call('pd.read_csv("a.csv")'), 43);
    assert.equal(plain, '~ 22.0 MiB | 5.44 MiB with dtypes');
  });

  it('states the n_jobs warning with the numbers and what fits', () => {
    const f = {
      call: 'GridSearchCV',
      workers: 16,
      peakBytes: 40 * 2 ** 30,
      availableBytes: 12 * 2 ** 30,
      maxFittingJobs: 3,
    } as Forecast;
    assert.equal(
      forecastMessage(f),
      'GridSearchCV with 16 workers may peak at ~40.0 GiB, more than the 12.0 GiB available; n_jobs=3 fits.',
    );
    assert.match(
      forecastMessage({ ...f, maxFittingJobs: 0 }),
      /even one worker does not fit: downcast or sample first/,
    );
  });
});
