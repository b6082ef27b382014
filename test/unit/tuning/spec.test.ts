import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadSpec, parseDuration, parseSpec, resolvePython, SpecError } from '../../../src/core/tuning/spec';

const dir = mkdtempSync(join(tmpdir(), 'headroom-spec-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'train.py'), 'print(1)\n');
writeFileSync(join(dir, 'obj.py'), 'def objective(p):\n    return 1\n');
const file = join(dir, 'rf.tune.yaml');

function issues(text: string): { message: string; line: number; column: number }[] {
  try {
    parseSpec(text, file);
  } catch (error) {
    assert.ok(error instanceof SpecError, `expected SpecError, got ${String(error)}`);
    return error.issues;
  }
  assert.fail('spec was accepted');
}

test('a minimal script spec resolves with defaults and absolute paths', () => {
  const spec = parseSpec('script: train.py\nparams:\n  n: [1, 2]\nmetric: acc\n', file);
  assert.equal(spec.kind, 'script');
  assert.equal(spec.entryFile, join(dir, 'train.py'));
  assert.equal(spec.name, 'rf');
  assert.equal(spec.search, 'grid');
  assert.equal(spec.mode, 'max');
  assert.equal(spec.sample, 1);
  assert.equal(spec.cache, true);
  assert.deepEqual(spec.resources, {
    workers: 'auto',
    threadsPerTrial: 1,
    memoryPerTrial: null,
    memoryBudget: null,
    timeoutMs: null,
  });
  assert.deepEqual(spec.params.n, { kind: 'choice', values: [1, 2] });
  assert.equal(spec.python, 'python3');
  assert.equal(spec.pythonSource, 'default');
});

test('objective mode, distributions, resources and JSON specs', () => {
  const json = JSON.stringify({
    objective: 'obj:objective',
    params: { lr: { loguniform: [1e-4, 1] }, depth: { int: [2, 8] }, crit: { choice: ['gini', 'entropy'] }, fixed: 3 },
    search: 'random',
    trials: 7,
    metric: 'loss',
    mode: 'min',
    resources: { workers: 2, threadsPerTrial: 2, memoryPerTrial: '2GB', memoryBudget: '512MiB', timeout: '90s' },
  });
  const spec = parseSpec(json, join(dir, 'x.tune.json'));
  assert.equal(spec.kind, 'objective');
  assert.deepEqual(spec.objective, { module: 'obj', func: 'objective' });
  assert.equal(spec.entryFile, join(dir, 'obj.py'));
  assert.deepEqual(spec.params.lr, { kind: 'loguniform', low: 1e-4, high: 1 });
  assert.deepEqual(spec.params.fixed, { kind: 'fixed', value: 3 });
  assert.deepEqual(spec.resources, {
    workers: 2,
    threadsPerTrial: 2,
    memoryPerTrial: 2 * 1024 ** 3,
    memoryBudget: 512 * 1024 ** 2,
    timeoutMs: 90_000,
  });
});

test('schema errors carry the line and column of the offending node', () => {
  const text = 'script: train.py\nparams:\n  n: [1, 2]\nmetric: acc\nresources:\n  workers: many\n  colour: blue\n';
  const found = issues(text);
  const workers = found.find((i) => i.message.includes('resources.workers'));
  assert.ok(workers, JSON.stringify(found));
  assert.equal(workers.line, 6);
  assert.equal(workers.column, 12);
  const unknown = found.find((i) => i.message.includes("unknown field 'colour'"));
  assert.ok(unknown, JSON.stringify(found));
  assert.deepEqual([unknown.line, unknown.column], [7, 3]);
});

test('missing fields, both modes, and grid over ranges are explained', () => {
  assert.match(issues('script: train.py\nparams:\n  n: [1]\n')[0].message, /missing required field 'metric'/);
  assert.match(
    issues('script: train.py\nobjective: obj:objective\nparams:\n  n: [1]\nmetric: a\n')[0].message,
    /exactly one of 'script:'/,
  );
  const grid = issues('script: train.py\nparams:\n  lr: {uniform: [0, 1]}\nmetric: a\n');
  assert.match(grid[0].message, /grid search needs a list/);
  assert.equal(grid[0].line, 3);
  const range = issues('script: train.py\nsearch: random\nparams:\n  lr: {uniform: [1, 0]}\nmetric: a\n');
  assert.match(range[0].message, /low must be below high/);
  const bad = issues('script: train.py\nparams:\n  lr: {gaussian: [0, 1]}\nmetric: a\n');
  assert.match(bad[0].message, /params.lr' must be a list of values/);
  assert.deepEqual([bad[0].line, bad[0].column], [3, 7]);
});

test('YAML syntax errors, non-mappings, missing files', () => {
  const syntax = issues('script: train.py\nparams: [1, 2\nmetric: a\n');
  assert.ok(syntax.length > 0 && syntax[0].line >= 2, JSON.stringify(syntax));
  assert.match(issues('- just\n- a list\n')[0].message, /must be a mapping/);
  const missing = issues('script: nope.py\nparams:\n  n: [1]\nmetric: a\n');
  assert.match(missing[0].message, /script not found: .*nope\.py/);
  assert.deepEqual([missing[0].line, missing[0].column], [1, 9]);
  assert.match(issues('objective: nomod:f\nparams:\n  n: [1]\nmetric: a\n')[0].message, /module 'nomod' not found/);
  assert.throws(() => loadSpec(join(dir, 'absent.tune.yaml')), /cannot read the spec/);
  assert.throws(() => loadSpec(join(dir, 'train.py')), /NAME\.tune\.yaml/);
});

test('python resolution order: spec, Python extension, setting, python3', () => {
  assert.deepEqual(resolvePython('venv/bin/python', dir, { pythonExtension: '/a', setting: '/b' }), [
    join(dir, 'venv/bin/python'),
    'spec',
  ]);
  assert.deepEqual(resolvePython(undefined, dir, { pythonExtension: '/a', setting: '/b' }), ['/a', 'python extension']);
  assert.deepEqual(resolvePython(undefined, dir, { setting: '/b' }), ['/b', 'setting']);
  assert.deepEqual(resolvePython(undefined, dir, {}), ['python3', 'default']);
});

test('durations', () => {
  assert.equal(parseDuration(30), 30_000);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('2m'), 120_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('soon'), undefined);
});
