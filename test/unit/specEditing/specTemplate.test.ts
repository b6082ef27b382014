import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { detectMetric, starterSpec } from '../../../src/core/specEditing/specTemplate';

describe('starter spec', () => {
  it('writes an objective-mode spec for a module with def objective(params)', () => {
    const spec = starterSpec({ fileName: 'model.py', text: 'def objective(params):\n    return {"roc_auc": 0.9}\n' });
    assert.equal(spec.mode, 'objective');
    assert.equal(spec.fileName, 'model.tune.yaml');
    const parsed = parse(spec.text) as Record<string, unknown>;
    assert.equal(parsed.objective, 'model:objective');
    assert.equal(parsed.metric, 'roc_auc');
    assert.equal(parsed.mode, 'max');
    assert.ok(spec.text.includes('# '), 'commented');
  });

  it("writes a script-mode spec proposing the script's argparse options", () => {
    const text = [
      'parser.add_argument("--n-estimators", type=int, default=100)',
      'parser.add_argument("--learning_rate", type=float, default=0.1)',
      "parser.add_argument('--criterion', choices=['gini', 'entropy'], default='gini')",
      'parser.add_argument("--out", default="model.pkl")',
      'report(log_loss=ll)',
    ].join('\n');
    const spec = starterSpec({ fileName: 'train.py', text });
    assert.equal(spec.mode, 'script');
    const parsed = parse(spec.text) as {
      script: string;
      params: Record<string, unknown[]>;
      mode: string;
      metric: string;
    };
    assert.equal(parsed.script, 'train.py');
    assert.deepEqual(parsed.params, {
      n_estimators: [50, 100, 200],
      learning_rate: [0.01, 0.1, 1],
      criterion: ['gini', 'entropy'],
    });
    assert.equal(parsed.metric, 'log_loss');
    assert.equal(parsed.mode, 'min');
  });

  it('falls back to an example param and a generic metric', () => {
    const parsed = parse(starterSpec({ fileName: 'x.py', text: 'print(1)' }).text) as {
      params: object;
      metric: string;
    };
    assert.deepEqual(parsed.params, { example_param: [1, 2, 3] });
    assert.equal(parsed.metric, 'score');
    assert.equal(detectMetric('scores = {"accuracy": 1}'), 'accuracy');
  });
});
