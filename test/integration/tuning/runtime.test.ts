import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../../support/python';
import { python } from './helpers';

function py(code: string, env: Record<string, string> = {}) {
  const out = spawnSync(python, ['-c', code], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONPATH: join(repoRoot, 'python'), HEADROOM_OUT_FD: '', HEADROOM_IN_FD: '', ...env },
  });
  assert.equal(out.status, 0, out.stderr);
  return out.stdout.trim();
}

test('outside Headroom: params() from HEADROOM_PARAMS or empty, fraction() 1, report() prints JSON', () => {
  assert.equal(py('import headroom_runtime as hr; print(hr.params(), hr.fraction())'), '{} 1.0');
  const out = py('import headroom_runtime as hr; print(hr.params()); hr.report(acc=0.5); hr.report(step=2, acc=0.25)', {
    HEADROOM_PARAMS: '{"a": 1}',
  });
  assert.equal(out, `{'a': 1}\n{"acc": 0.5}\n{"acc": 0.25, "step": 2}`);
});

test('subsample: seeded, stratified, nested across fractions, works on pandas, numpy and lists', () => {
  const code = `
import json, numpy as np, pandas as pd, headroom_runtime as hr
y = [0] * 800 + [1] * 200
X = list(range(1000))
Xs, ys = hr.subsample(X, y)
again, _ = hr.subsample(X, y)
df = pd.DataFrame({'x': X}); arr = np.arange(1000)
dfs, yss = hr.subsample(df, pd.Series(y))
arrs = hr.subsample(arr)
hr._state['fraction'] = 0.3
bigger, _ = hr.subsample(X, y)
print(json.dumps({'n': len(Xs), 'ones': sum(ys), 'same': Xs == again, 'df': len(dfs), 'df_ones': int(yss.sum()),
                  'arr': len(arrs), 'nested': set(Xs) <= set(bigger), 'bigger': len(bigger), 'sorted': Xs == sorted(Xs)}))
`;
  const r = JSON.parse(py(code, { HEADROOM_FRACTION: '0.1', HEADROOM_SEED: '3' })) as Record<string, unknown>;
  assert.deepEqual(r, {
    n: 100,
    ones: 20,
    same: true,
    df: 100,
    df_ones: 20,
    arr: 100,
    nested: true,
    bigger: 300,
    sorted: true,
  });
  const other = py('import headroom_runtime as hr; print(hr.subsample(list(range(1000)))[:5])', {
    HEADROOM_FRACTION: '0.1',
    HEADROOM_SEED: '4',
  });
  const seed3 = py('import headroom_runtime as hr; print(hr.subsample(list(range(1000)))[:5])', {
    HEADROOM_FRACTION: '0.1',
    HEADROOM_SEED: '3',
  });
  assert.notEqual(other, seed3, 'the seed changes the rows');
});

test('metrics are cleaned: numpy scalars become floats, NaN becomes null, non-numbers are dropped', () => {
  const out = py(
    'import numpy as np, headroom_runtime as hr; print(hr._channel.clean_metrics({"a": np.float32(0.5), "b": float("nan"), "c": "text", "d": True}))',
  );
  assert.equal(out, "{'a': 0.5, 'b': None, 'd': 1.0}");
});
