import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkSpec, definesFunction, type CheckContext } from '../../../src/core/specEditing/specChecks';

const GiB = 1024 ** 3;
function ctx(files: Record<string, string>): CheckContext {
  return {
    specDir: '/w',
    join,
    totalMemoryBytes: 16 * GiB,
    files: { isFile: (p) => p in files, read: (p) => files[p] },
  };
}

describe('spec checks', () => {
  it('flags a missing script at the script value', () => {
    const text = 'script: nothere.py\nmetric: acc\nparams:\n  a: [1]\n';
    const [issue, ...rest] = checkSpec(text, ctx({}));
    assert.equal(rest.length, 0);
    assert.equal(issue.code, 'script-missing');
    assert.equal(text.slice(issue.start, issue.end), 'nothere.py');
    assert.deepEqual(checkSpec(text.replace('nothere', 'train'), ctx({ '/w/train.py': '' })), []);
  });

  it('flags an objective function that the module does not define', () => {
    const text = 'objective: model:objective\nmetric: acc\n';
    const missing = checkSpec(text, ctx({ '/w/model.py': 'def train(params):\n    return 1\n' }));
    assert.equal(missing[0].code, 'objective-missing');
    assert.match(missing[0].message, /'objective' not found in \/w\/model\.py/);
    assert.equal(text.slice(missing[0].start, missing[0].end), 'model:objective');
    assert.deepEqual(checkSpec(text, ctx({ '/w/model.py': 'import x\n\ndef objective(params):\n    return 1\n' })), []);
    assert.equal(checkSpec(text, ctx({}))[0].code, 'module-missing');
    assert.deepEqual(checkSpec('objective: pkg.mod:f\n', ctx({ '/w/pkg/mod/__init__.py': 'async def f(p): ...' })), []);
  });

  it('knows the ways a module defines a name', () => {
    assert.ok(definesFunction('def objective(params):', 'objective'));
    assert.ok(definesFunction('objective = make()', 'objective'));
    assert.ok(definesFunction('from lib import objective', 'objective'));
    assert.ok(!definesFunction('    def objective(self, params):', 'objective'), 'a method is not module level');
    assert.ok(!definesFunction('def objective_two(params):', 'objective'));
  });

  it('flags memoryPerTrial larger than the machine, and a budget larger as a warning', () => {
    const text = 'script: t.py\nresources:\n  memoryPerTrial: 64GB\n  memoryBudget: 32GB\n';
    const issues = checkSpec(text, ctx({ '/w/t.py': '' }));
    assert.deepEqual(
      issues.map((i) => [i.code, i.severity]),
      [
        ['memory-too-large', 'error'],
        ['budget-too-large', 'warning'],
      ],
    );
    assert.match(issues[0].message, /memoryPerTrial 64\.0 GiB is more than this machine's 16\.0 GiB/);
    assert.equal(text.slice(issues[0].start, issues[0].end), '64GB');
    assert.deepEqual(checkSpec(text.replace('64GB', 'auto').replace('32GB', '2GB'), ctx({ '/w/t.py': '' })), []);
  });

  it('reads JSON specs too and leaves unparsable text to the schema', () => {
    const json = '{ "script": "gone.py", "resources": { "memoryPerTrial": 99999999999999 } }';
    assert.deepEqual(
      checkSpec(json, ctx({})).map((i) => i.code),
      ['script-missing', 'memory-too-large'],
    );
    assert.deepEqual(checkSpec('script: [unclosed\n', ctx({})), []);
    assert.deepEqual(checkSpec('', ctx({})), []);
  });
});
