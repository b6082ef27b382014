/**
 * The n_jobs forecast against a measured peak: a real GridSearchCV on a generated frame, the process
 * tree's PSS sampled with psutil. The data-dependent part of the peak is isolated by running the same
 * search on a 1,000-row frame (worker interpreters, imports) and subtracting; the parent's frame is
 * already loaded before fit, so it is in the baseline too.
 *
 * Tolerance: 35%. What the forecast does not model: an estimator's working arrays beyond the two
 * copies it counts, glibc keeping freed memory inside a worker between tasks, and worker peaks that do
 * not coincide. Forecast / measured on the 2-core test machine over five runs: Ridge cv=4 1.01-1.15,
 * Ridge cv=3 1.03-1.17, RandomForest cv=4 0.90-0.96 (0.70 at 250,000 rows, where per-tree buffers
 * weigh more); with 4 workers on 2 cores (not a case here) about 1.29, as peaks interleave.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatBytes } from '../../../src/core/format';
import { analyzeTree, forecastParallel, frameFacts, getPythonParser } from '../../../src/core/hints';
import { pythons, requirePython } from '../../support/python';

interface Measured {
  rows: number;
  indexBytes: number;
  totalBytes: number;
  columns: { name: string; dtype: string; bytes: number }[];
  beforePss: number;
  peakPss: number;
}

function measure(rows: number, cols: number, nJobs: number, cv: number, estimator: string): Measured {
  const out = execFileSync(
    requirePython(pythons.test),
    [join(__dirname, 'measure_search.py'), String(rows), String(cols), String(nJobs), String(cv), estimator],
    {
      encoding: 'utf8',
      timeout: 300_000,
      env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Measured;
}

const cases = [
  { rows: 2_000_000, cols: 10, nJobs: 2, cv: 4, estimator: 'ridge' },
  { rows: 2_000_000, cols: 10, nJobs: 2, cv: 3, estimator: 'ridge' },
  { rows: 500_000, cols: 10, nJobs: 2, cv: 4, estimator: 'forest' },
];

describe('n_jobs forecast vs a measured scikit-learn search', { concurrency: 1 }, () => {
  for (const c of cases) {
    it(`GridSearchCV(${c.estimator}, cv=${c.cv}, n_jobs=${c.nJobs}) on ${c.rows} x ${c.cols} float64`, async () => {
      const parser = await getPythonParser();
      const estimator = c.estimator === 'ridge' ? 'Ridge()' : 'RandomForestRegressor(n_estimators=4)';
      const [call] = analyzeTree(
        parser.parse(`GridSearchCV(${estimator}, grid, cv=${c.cv}, n_jobs=${c.nJobs})`)!,
      ).parallel;
      const big = measure(c.rows, c.cols, c.nJobs, c.cv, c.estimator);
      const tiny = measure(1000, c.cols, c.nJobs, c.cv, c.estimator);
      const measured = big.peakPss - big.beforePss - (tiny.peakPss - tiny.beforePss);
      const facts = frameFacts({
        totalBytes: big.totalBytes,
        rows: big.rows,
        indexBytes: big.indexBytes,
        columns: big.columns as never,
      });
      const forecast = forecastParallel(call, facts, { cpus: 2, availableBytes: 64 * 2 ** 30 });
      // The parent's frame is in both baselines; compare what the fit adds.
      const predicted = forecast.peakBytes - forecast.parentBytes;
      const ratio = predicted / measured;
      console.log(
        `forecast ${formatBytes(predicted)} vs measured ${formatBytes(measured)} (ratio ${ratio.toFixed(2)}; frame ${formatBytes(big.totalBytes)}, ` +
          `tree PSS ${formatBytes(big.beforePss)} -> ${formatBytes(big.peakPss)})`,
      );
      assert.ok(
        Math.abs(ratio - 1) <= 0.35,
        `forecast ${predicted} vs measured ${measured}: ratio ${ratio.toFixed(2)} outside 0.65..1.35`,
      );
    });
  }
});
