// The CLI uses the Python a user means, and says which on its first line: the README's examples, run
// as written from the repository after setup, model the repository's .venv (pandas 3 + pyarrow), so the
// footprint equals the one the dataset panel shows; an activated environment wins; --python is the
// interpreter in every command.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pandasFrameBytes, pythons, repoRoot, requirePython } from '../../support/python';

const cli = join(repoRoot, 'dist', 'cli.js');
const demoCsv = join(repoRoot, 'demo', 'data', 'customers.csv');

/** The CLI as a user's shell runs it: no activated environment unless `env` adds one. */
function headroom(args: string[], env: Record<string, string> = {}, cwd = repoRoot) {
  const base = { ...process.env };
  delete base.VIRTUAL_ENV;
  delete base.CONDA_PREFIX;
  delete base.HEADROOM_PYTHON;
  const out = spawnSync(process.execPath, [cli, ...args], { cwd, env: { ...base, ...env }, encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

describe('which Python the CLI uses', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'headroom-cli-python-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it("footprint, run as the README says, uses the repository's .venv and says so first", () => {
    const venvPython = requirePython(pythons.test);
    const out = headroom(['footprint', 'demo/data/customers.csv']);
    assert.equal(out.code, 0, out.stderr);
    const first = out.stdout.split('\n')[0];
    assert.equal(first, `Python: ${venvPython} (from the workspace's .venv (${join(repoRoot, '.venv')}))`);
    // The same model as the panel's (pandas 3 with pyarrow), so the same total as pandas itself.
    const truth = pandasFrameBytes(
      venvPython,
      `import pandas as pd\ndf = pd.read_csv(${JSON.stringify(demoCsv)})`,
      repoRoot,
    );
    assert.match(out.stdout, new RegExp(`now: .*\\(${truth.toLocaleString('en-US')} bytes\\)`));
  });

  it('an activated virtualenv wins over the workspace, and the JSON output stays JSON', () => {
    const pandas2 = requirePython(pythons.pandas2);
    const out = headroom(['footprint', 'demo/data/customers.csv', '--json'], {
      VIRTUAL_ENV: join(repoRoot, '.venv-pandas2'),
    });
    assert.equal(out.code, 0, out.stderr);
    assert.match(
      out.stderr,
      new RegExp(`Python: ${pandas2.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(from the active virtualenv`),
    );
    assert.equal(JSON.parse(out.stdout).model.pandas, '2.2');
  });

  it("a folder's .vscode/settings.json names the interpreter for a file below it", () => {
    const workspace = join(scratch, 'project');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    mkdirSync(join(workspace, 'data'));
    copyFileSync(demoCsv, join(workspace, 'data', 'c.csv'));
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      `{\n  // as VS Code writes it\n  "python.defaultInterpreterPath": ${JSON.stringify(pythons.pandas2)},\n}\n`,
    );
    const out = headroom(['footprint', join(workspace, 'data', 'c.csv'), '--json'], {}, scratch);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /from python\.defaultInterpreterPath in .*project\/\.vscode\/settings\.json/);
    assert.equal(JSON.parse(out.stdout).model.pandas, '2.2');
  });

  it('--python is the interpreter; a version there points to --python-version', () => {
    const out = headroom(['footprint', 'demo/data/customers.csv', '--python', pythons.pandas1, '--json']);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stderr, /Python: \/usr\/bin\/python3 \(from --python\)/);
    assert.equal(JSON.parse(out.stdout).model.pandas, '1.5');
    const old = headroom(['footprint', 'demo/data/customers.csv', '--python', '3.12']);
    assert.equal(old.code, 2);
    assert.match(
      old.stderr,
      /--python takes an interpreter; for the CPython version to model use --python-version 3\.12/,
    );
  });

  it('tune prints the Python it runs trials with on its first line', () => {
    const dir = join(scratch, 'tune');
    mkdirSync(dir);
    writeFileSync(join(dir, 'noop.py'), 'pass\n'); // reports no score: only the first line matters here
    writeFileSync(join(dir, 'noop.tune.yaml'), 'script: noop.py\nparams:\n  a: [1]\nmetric: score\nmode: max\n');
    const out = headroom(['tune', join(dir, 'noop.tune.yaml'), '--python', requirePython(pythons.test)], {}, dir);
    assert.equal(out.stdout.split('\n')[0], `Python: ${pythons.test} (from --python)`, out.stdout + out.stderr);
  });
});
