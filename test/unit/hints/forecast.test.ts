import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import {
  AnalysisCache,
  analyzeTree,
  forecastParallel,
  getPythonParser,
  nestedParallelism,
  resolveDataPath,
  workersFor,
  type FrameFacts,
} from '../../../src/core/hints';
import { forecastHover } from '../../../src/core/hints/text';

let parser: Parser;
before(async () => {
  parser = await getPythonParser();
});
const MiB = 1024 * 1024;
const call = (src: string) => analyzeTree(parser.parse(src)!).parallel[0];

/** 1,000,000 rows x 10 float64 columns (80 MB) plus a 20 MB text column. */
const frame: FrameFacts = { totalBytes: 100e6, rows: 1e6, numericBytes: 80e6, otherBytes: 20e6, numericColumns: 10 };

describe('n_jobs forecast', () => {
  it('maps n_jobs to workers as joblib does', () => {
    assert.equal(workersFor(-1, 8), 8);
    assert.equal(workersFor(-2, 8), 7);
    assert.equal(workersFor(null, 8), 1);
    assert.equal(workersFor(undefined, 8), 1);
    assert.equal(workersFor(12, 8), 12);
  });

  it('adds up parent frame, shared memory map and per-worker copies for a search', () => {
    const f = forecastParallel(call('GridSearchCV(m, g, cv=4, n_jobs=-1)'), frame, { cpus: 8, availableBytes: 3e9 });
    // per worker: pickled text 20e6 + folds 100e6 + two float64 copies of the training slice 2 * 0.75 * 1e6 * 10 * 8
    assert.equal(f.perWorkerBytes, 20e6 + 100e6 + 120e6);
    assert.equal(f.sharedBytes, 80e6);
    assert.equal(f.peakBytes, 100e6 + 80e6 + 8 * 240e6);
    assert.equal(f.fits, true);
    const tight = forecastParallel(call('GridSearchCV(m, g, cv=4, n_jobs=-1)'), frame, {
      cpus: 8,
      availableBytes: 1e9,
    });
    assert.equal(tight.fits, false);
    // (0.8 * 1e9 - 180e6) / 240e6 = 2.58 -> 2 workers keep 20% free
    assert.equal(tight.maxFittingJobs, 2);
  });

  it('caps the suggested n_jobs at what can run: the cores, or the folds of a cross-validation', () => {
    const plenty = { cpus: 2, availableBytes: 4000e9 };
    const search = forecastParallel(call('GridSearchCV(m, g, cv=4, n_jobs=-1)'), frame, plenty);
    // memory alone: (0.8 * 4000e9 - 180e6) / 240e6 = 13332 workers; the machine runs 2
    assert.equal(search.maxFittingJobs, 2);
    assert.equal(search.jobsLimit, 'cores');
    assert.match(forecastHover(search, 'd.csv'), /Largest n_jobs worth setting: \*\*2\*\*, one per core/);
    assert.doesNotMatch(forecastHover(search, 'd.csv'), /13332/);
    const cv = forecastParallel(call('cross_val_score(m, X, y, cv=3, n_jobs=-1)'), frame, { ...plenty, cpus: 16 });
    assert.equal(cv.maxFittingJobs, 3);
    assert.equal(cv.jobsLimit, 'folds');
    const tight = forecastParallel(call('GridSearchCV(m, g, cv=4, n_jobs=-1)'), frame, {
      cpus: 8,
      availableBytes: 1e9,
    });
    assert.equal(tight.jobsLimit, 'memory');
    assert.match(forecastHover(tight, 'd.csv'), /keeps 20% of available memory free: \*\*2\*\*/);
  });

  it('pickles everything when the numeric data is under joblib 1 MB memmap threshold', () => {
    const small: FrameFacts = {
      totalBytes: 0.5 * MiB,
      rows: 1000,
      numericBytes: 0.4 * MiB,
      otherBytes: 0.1 * MiB,
      numericColumns: 50,
    };
    const f = forecastParallel(call('cross_val_score(m, X, y, cv=3, n_jobs=8)'), small, {
      cpus: 8,
      availableBytes: 1e9,
    });
    assert.equal(f.sharedBytes, 0);
    // cross-validation runs one task per fold: 3 workers, not 8.
    assert.equal(f.workers, 3);
    assert.equal(f.perWorkerBytes, 0.5 * MiB + 0.5 * MiB + 2 * (2 / 3) * 1000 * 50 * 8);
  });

  it('forests share the frame between threads', () => {
    const f = forecastParallel(call('RandomForestClassifier(n_jobs=4)'), frame, { cpus: 8, availableBytes: 1e9 });
    assert.equal(f.backend, 'threads');
    assert.equal(f.peakBytes, 100e6 + 1e6 * 10 * 4 + 4 * 1e6 * 8);
  });

  it('flags nested parallelism only when outer x inner exceeds the cores', () => {
    const search = analyzeTree(
      parser.parse('GridSearchCV(RandomForestClassifier(n_jobs=-1), g, n_jobs=2)')!,
    ).parallel.find((p) => p.kind === 'search')!;
    assert.deepEqual(nestedParallelism(search, 8), [
      { outer: 'GridSearchCV', inner: 'RandomForestClassifier', outerWorkers: 2, innerWorkers: 8, cpus: 8 },
    ]);
    const fine = analyzeTree(
      parser.parse('GridSearchCV(RandomForestClassifier(n_jobs=2), g, n_jobs=2)')!,
    ).parallel.find((p) => p.kind === 'search')!;
    assert.deepEqual(nestedParallelism(fine, 8), []);
  });
});

describe('path resolution', () => {
  const root = mkdtempSync(join(tmpdir(), 'hints-resolve-'));
  mkdirSync(join(root, 'src', 'data'), { recursive: true });
  mkdirSync(join(root, 'data'));
  writeFileSync(join(root, 'data', 'w.csv'), 'a\n1\n');
  writeFileSync(join(root, 'src', 'data', 'f.csv'), 'a\n1\n');
  after(() => rmSync(root, { recursive: true, force: true }));

  it('scripts: workspace folder first, then the file folder', () => {
    const doc = join(root, 'src', 'train.py');
    const w = resolveDataPath({ path: 'data/w.csv', documentPath: doc, kind: 'script', workspaceFolder: root });
    assert.deepEqual(w.found && [w.file, w.base], [join(root, 'data', 'w.csv'), 'workspace']);
    const f = resolveDataPath({ path: 'data/f.csv', documentPath: doc, kind: 'script', workspaceFolder: root });
    assert.deepEqual(f.found && [f.file, f.base], [join(root, 'src', 'data', 'f.csv'), 'file']);
  });

  it('notebooks: the notebook folder only', () => {
    const nb = join(root, 'src', 'nb.ipynb');
    const f = resolveDataPath({ path: 'data/f.csv', documentPath: nb, kind: 'notebook', workspaceFolder: root });
    assert.equal(f.found && f.base, 'notebook');
    const w = resolveDataPath({ path: 'data/w.csv', documentPath: nb, kind: 'notebook', workspaceFolder: root });
    assert.equal(w.found, false);
    assert.match(!w.found ? w.reason : '', /not found: looked in .*src\/data\/w\.csv/);
  });

  it('says calmly what is missing, and refuses URLs', () => {
    const m = resolveDataPath({ path: 'nope.csv', kind: 'script' });
    assert.equal(m.found, false);
    assert.match(!m.found ? m.reason : '', /not saved/);
    const u = resolveDataPath({ path: 's3://bucket/x.csv', kind: 'script', workspaceFolder: root });
    assert.match(!u.found ? u.reason : '', /remote URL/);
  });
});

describe('analysis cache', () => {
  it('parses incrementally and gives the same answer as a full parse', () => {
    const cache = new AnalysisCache(parser);
    const v1 = 'import pandas as pd\nx = 1\ndf = pd.read_csv("a.csv")\n';
    assert.equal(cache.analyze('doc', 1, v1).reads[0].path, 'a.csv');
    assert.equal(cache.analyze('doc', 1, v1), cache.analyze('doc', 1, v1), 'same version: cached object');
    // Replace `a.csv` with `bb.csv` on line 2 (0-based), as VS Code reports it.
    const at = v1.indexOf('a.csv');
    cache.noteChanges('doc', 1, [
      {
        rangeOffset: at,
        rangeLength: 1,
        text: 'bb',
        range: {
          start: { line: 2, character: at - v1.lastIndexOf('\n', at) - 1 },
          end: { line: 2, character: at - v1.lastIndexOf('\n', at) },
        },
      },
    ]);
    const v2 = v1.slice(0, at) + 'bb' + v1.slice(at + 1);
    const incremental = cache.analyze('doc', 2, v2);
    assert.deepEqual(incremental.reads, analyzeTree(parser.parse(v2)!).reads);
    assert.equal(incremental.reads[0].path, 'bb.csv');
    cache.dispose();
  });
});
