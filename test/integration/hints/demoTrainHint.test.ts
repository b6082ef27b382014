/**
 * The demo walkthrough's first step ("Open train.py and look at the memory hint"): train.py builds
 * its path as `Path(__file__).resolve().parent / "data" / "customers.csv"` and reads it inside
 * main(). The hint resolves that path to the file Python opens and sizes it as pandas does.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool, type PandasModel } from '../../../src/core/footprint';
import { analyzeTree, getPythonParser, hintLabel, resolveDataPath } from '../../../src/core/hints';
import { pandasFrameBytes, pythons, repoRoot, requirePython } from '../../support/python';

after(() => closeFootprintPool());

describe("demo/train.py's hint", () => {
  it('resolves DATA through __file__ to demo/data/customers.csv and shows the size pandas measures', async () => {
    const script = join(repoRoot, 'demo', 'train.py');
    const source = readFileSync(script, 'utf8');
    const parser = await getPythonParser();
    const [call] = analyzeTree(parser.parse(source)!).reads;
    assert.deepEqual([call.path, call.pathAnchor], ['data/customers.csv', 'script-dir']);
    // `npm run demo` opens demo/ itself; opening the repository root must give the same file.
    for (const workspaceFolder of [join(repoRoot, 'demo'), repoRoot]) {
      const res = resolveDataPath({
        path: call.path!,
        anchor: call.pathAnchor,
        documentPath: script,
        kind: 'script',
        workspaceFolder,
      });
      assert.ok(res.found, `found from workspace ${workspaceFolder}`);
      assert.equal(res.file, join(repoRoot, 'demo', 'data', 'customers.csv'));
    }
    const python = requirePython(pythons.test);
    const model = JSON.parse(
      execFileSync(
        python,
        [
          '-c',
          'import sys, json, pandas\ntry:\n import pyarrow; a=True\nexcept ImportError: a=False\nprint(json.dumps({"pandas": ".".join(pandas.__version__.split(".")[:2]), "python": "%d.%d" % sys.version_info[:2], "pyarrow": a}))',
        ],
        { encoding: 'utf8' },
      ),
    ) as PandasModel;
    const result = await analyzeFile(join(repoRoot, 'demo', 'data', 'customers.csv'), {
      model,
      mode: 'exact',
      read: call.read,
    });
    // The script's own DATA, evaluated by Python from another working directory, read as main() does.
    const measured = pandasFrameBytes(
      python,
      `import runpy, pandas as pd\nns = runpy.run_path(${JSON.stringify(script)}, run_name="headroom_test")\ndf = pd.read_csv(ns["DATA"], parse_dates=["signup_date", "last_seen"])`,
      tmpdir(),
    );
    const label = hintLabel(result, undefined, call);
    console.log(`demo/train.py hint: ${label} (pandas measured ${measured} bytes)`);
    assert.equal(result.totalBytes, measured);
    assert.match(label, /^~ \d[\d.]* (KiB|MiB) in pandas \d+\.\d+$/);
  });
});
