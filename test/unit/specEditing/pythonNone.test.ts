import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatParams, formatParamValue } from '../../../src/core/runView/reasons';
import { checkSpec } from '../../../src/core/specEditing/specChecks';

const ctx = {
  specDir: '/w',
  join,
  totalMemoryBytes: 2 ** 34,
  files: { isFile: () => true, read: () => 'def objective(p): ...' },
};

describe('None in a spec', () => {
  it('flags each unquoted None in params (lists, choice lists, single values), exactly at the word', () => {
    const text = [
      'script: train.py',
      'metric: acc',
      'params:',
      '  max_depth: [None, 5, 10]',
      '  max_features:',
      '    - None',
      '    - sqrt',
      '  class_weight: { choice: [None, balanced] }',
      '  criterion: None',
      '  note: ["None", \'None\', null, NoneType]',
      'name: None',
    ].join('\n');
    const issues = checkSpec(text, ctx).filter((i) => i.code === 'python-none');
    assert.equal(issues.length, 4);
    for (const issue of issues) {
      assert.equal(text.slice(issue.start, issue.end), 'None');
      assert.equal(issue.severity, 'warning');
      assert.match(issue.message, /string 'None'.*write `null`/);
    }
    const lines = issues.map((i) => text.slice(0, i.start).split('\n').length);
    assert.deepEqual(lines, [4, 6, 8, 9]);
    // Replacing each range with null (the quick fix) leaves nothing to flag.
    let fixed = text;
    for (const issue of [...issues].reverse()) fixed = fixed.slice(0, issue.start) + 'null' + fixed.slice(issue.end);
    assert.deepEqual(
      checkSpec(fixed, ctx).filter((i) => i.code === 'python-none'),
      [],
    );
    assert.match(fixed, /max_depth: \[null, 5, 10\]/);
  });

  it('shows a real None and the string "None" differently in the run table', () => {
    assert.equal(formatParamValue(null), 'None');
    assert.equal(formatParamValue('None'), "'None'");
    assert.notEqual(formatParamValue(null), formatParamValue('None'));
    assert.equal(formatParamValue('5'), "'5'");
    assert.equal(formatParamValue(5), '5');
    assert.equal(formatParamValue('true'), "'true'");
    assert.equal(formatParamValue('gini'), 'gini');
    assert.equal(formatParamValue(''), "''");
    assert.equal(formatParams({ a: null, b: 'None', c: "it's" }), "a=None, b='None', c=it's");
  });
});
