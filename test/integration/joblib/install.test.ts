/**
 * Installing headroom_runtime offline: `headroom runtime install --python PATH` into a fresh virtual
 * environment (no network: pip --no-index on a wheel built from the shipped files), then the package
 * imports from anywhere; a missing interpreter and a system-managed one (PEP 668) get clear errors.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { installRuntime, RuntimeInstallError, runtimeStatus } from '../../../src/core/runtime/install';
import { pythons, repoRoot, requirePython } from '../../support/python';

const base = requirePython(pythons.test);
const dir = mkdtempSync(join(tmpdir(), 'headroom-install-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;

function cli(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'main.ts'), 'runtime', ...args], {
    cwd: repoRoot, // where tsx resolves
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, PYTHONPATH: '' },
  });
}

describe('installing the Python runtime', { concurrency: 1 }, () => {
  it('headroom runtime install --python VENV: installed offline, importable from anywhere, status says so', async () => {
    const venv = join(dir, 'venv');
    const made = spawnSync(base, ['-m', 'venv', venv], { encoding: 'utf8', timeout: 300_000 });
    assert.equal(made.status, 0, made.stderr);
    const python = join(venv, 'bin', 'python');
    assert.equal((await runtimeStatus(python)).version, null, 'a fresh environment lacks it');

    const out = cli(['install', '--python', python]);
    assert.equal(out.status, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`Installed headroom_runtime ${version.replace(/\./g, '\\.')} into`));
    assert.match(out.stdout, /joblib is missing/);
    const status = await runtimeStatus(python);
    assert.deepEqual([status.version, status.joblib], [version, false]);
    const run = spawnSync(python, ['-c', 'import headroom_runtime as hr; print(hr.params(), hr.parallel.__name__)'], {
      cwd: tmpdir(),
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: '' },
    });
    assert.equal(run.stdout.trim(), '{} parallel', run.stderr);
    assert.ok(existsSync(join(venv, 'lib')), 'installed into the venv');
    assert.match(
      cli(['status', '--python', python]).stdout,
      new RegExp(`headroom_runtime ${version.replace(/\./g, '\\.')};`),
    );
  });

  it('a missing interpreter: exit 1 with the path; bad arguments: exit 2', () => {
    const out = cli(['install', '--python', join(dir, 'no-such-python')]);
    assert.equal(out.status, 1);
    assert.match(out.stderr, /Python interpreter not found: .*no-such-python/);
    assert.equal(cli(['uninstall']).status, 2);
  });

  it("a system interpreter managed by its package manager (PEP 668): pip's refusal explained", async (t) => {
    const system = pythons.pandas1;
    const marker = spawnSync(
      system,
      [
        '-c',
        'import sysconfig, os; print(os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))',
      ],
      { encoding: 'utf8' },
    );
    if (marker.stdout.trim() !== 'True') return t.skip(`${system} is not externally managed here`);
    await assert.rejects(
      installRuntime({ python: system, sourceDir: join(repoRoot, 'python'), version }),
      (error: unknown) => error instanceof RuntimeInstallError && /PEP 668.*virtual environment/s.test(error.message),
    );
  });
});
