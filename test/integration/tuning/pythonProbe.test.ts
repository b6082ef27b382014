/**
 * One probe of the trials' interpreter per start: the check before the run and the data estimate's
 * pandas model use the same answer, and the extension's Python environment service can be that probe.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { FootprintOptions, FootprintResult, PandasModel } from '../../../src/core/footprint/types';
import type { PythonProbe } from '../../../src/core/python';
import { python, runToEnd, spec, workspace } from './helpers';

/** An interpreter that logs each `python -c ...` (a probe) before running the real one; trials run scripts. */
function countingPython(dir: string): { path: string; probes: () => number } {
  const path = join(dir, 'python-counting');
  const log = join(dir, 'probes.log');
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "-c" ]; then echo probe >> '${log}'; fi\nexec '${python}' "$@"\n`);
  chmodSync(path, 0o755);
  return { path, probes: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0) };
}

const files = {
  'fit.py': 'import json\nprint(json.dumps({"m": 1}))\n',
  'data.csv': 'a,b\n1,x\n2,y\n',
};
const specText = 'script: fit.py\ndata: data.csv\nparams:\n  a: [1]\nmetric: m\n';

function recordingAnalyzer(models: PandasModel[]) {
  return async (_path: string, options: FootprintOptions): Promise<FootprintResult> => {
    models.push(options.model);
    return { totalBytes: 1000 } as FootprintResult;
  };
}

test('a start asks its interpreter once: the check before the run and the data estimate share the probe', async () => {
  const dir = workspace(files);
  const counting = countingPython(dir);
  const models: PandasModel[] = [];
  const { summary } = await runToEnd(spec(dir, 'fit.tune.yaml', specText), {
    python: { setting: counting.path },
    analyzeDataFile: recordingAnalyzer(models),
  });
  assert.equal(summary.status, 'done');
  assert.equal(counting.probes(), 1);
  assert.equal(models.length, 1);
  assert.match(models[0].pandas, /^3\./, 'the data estimate uses the pandas the probe found in the test venv');
});

test("the probe passed in (the extension's Python environment service) is the one asked", async () => {
  const dir = workspace(files);
  const counting = countingPython(dir);
  const asked: string[] = [];
  const probePython = async (pythonPath: string): Promise<PythonProbe> => {
    asked.push(pythonPath);
    return { pythonPath, python: '3.11', pandas: '2.2.3', pyarrow: false };
  };
  const models: PandasModel[] = [];
  const { summary } = await runToEnd(spec(dir, 'fit.tune.yaml', specText), {
    python: { setting: counting.path },
    probePython,
    analyzeDataFile: recordingAnalyzer(models),
  });
  assert.equal(summary.status, 'done');
  assert.deepEqual(asked, [counting.path]);
  assert.equal(counting.probes(), 0, 'the engine spawned no probe of its own');
  assert.deepEqual(models, [{ pandas: '2.2', python: '3.11', pyarrow: false }]);
});
