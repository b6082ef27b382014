import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { specCompletions, specHover } from '../../../src/core/specEditing/specSchemaHelp';

const SPEC = `# a comment
script: train.py
search: grid
params:
  max_depth: [null, 5]
resources:
  workers: auto
  threadsPerTrial: 1
metric: roc_auc
`;

const at = (text: string, needle: string, delta = 1) => text.indexOf(needle) + delta;

describe('spec hover from the schema', () => {
  it('explains a top-level field: its description, values and default', () => {
    const h = specHover(SPEC, at(SPEC, 'search:'))!;
    assert.match(h.markdown, /^\*\*search\*\*/);
    assert.match(h.markdown, /grid: every combination/);
    assert.match(h.markdown, /Takes: `grid`, `random`, `halving`/);
    assert.match(h.markdown, /Default: `grid`/);
    assert.equal(SPEC.slice(h.start, h.end), 'search');
  });

  it('explains nested fields and param names, required ones marked', () => {
    assert.match(
      specHover(SPEC, at(SPEC, 'workers'))!.markdown,
      /\*\*resources\.workers\*\*[\s\S]*Most trials at once/,
    );
    assert.match(specHover(SPEC, at(SPEC, 'metric:'))!.markdown, /\*\*metric\*\* \(required\)/);
    const param = specHover(SPEC, at(SPEC, 'max_depth'))!;
    assert.match(param.markdown, /params\.max_depth\*\*: a search axis/);
    assert.match(param.markdown, /Write `null` for Python's `None`/);
  });

  it('says nothing over values, comments or unknown keys', () => {
    assert.equal(specHover(SPEC, at(SPEC, 'train.py')), undefined);
    assert.equal(specHover(SPEC, at(SPEC, 'a comment')), undefined);
    assert.equal(specHover('bogus: 1\n', 2), undefined);
  });
});

describe('spec completion from the schema', () => {
  const labels = (text: string, offset = text.length) => specCompletions(text, offset).map((c) => c.label);

  it('offers the top-level fields not written yet, and not objective next to script', () => {
    const text = SPEC + 'da';
    const found = labels(text);
    assert.ok(found.includes('data') && found.includes('cache') && found.includes('mode'), found.join());
    for (const absent of ['script', 'objective', 'params', 'metric', 'search', 'resources'])
      assert.ok(!found.includes(absent), absent);
    const item = specCompletions(text, text.length).find((c) => c.label === 'mode')!;
    assert.equal(item.insert, 'mode: ${1|max,min|}');
    assert.equal(item.replaceStart, text.length - 2);
    assert.match(item.documentation, /larger metric is better/);
  });

  it('offers the fields of the block the cursor is in, half-typed spec or not', () => {
    const text = 'script: t.py\nresources:\n  workers: 2\n  ';
    assert.deepEqual(labels(text).sort(), ['memoryBudget', 'memoryPerTrial', 'threadsPerTrial', 'timeout']);
    assert.deepEqual(labels('resources:\n  mem'), [
      'workers',
      'threadsPerTrial',
      'memoryPerTrial',
      'memoryBudget',
      'timeout',
    ]);
  });

  it('offers the values a field takes', () => {
    assert.deepEqual(labels('search: '), ['grid', 'random', 'halving']);
    assert.deepEqual(labels('cache: t'), ['true', 'false']);
    assert.deepEqual(labels('resources:\n  workers: '), ['auto']);
    assert.deepEqual(labels('prune: '), ['none', 'median']);
    assert.deepEqual(labels('metric: '), []);
  });
});
