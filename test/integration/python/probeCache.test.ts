// The probe's disk cache (core/python/probeCache.ts) with a real venv whose site-packages is "upgraded"
// from pandas 2.2 to pandas 3 the way pip does it: the old package and dist-info folders go, the new
// ones come. A kept answer must be used while nothing changed and never after the upgrade.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clearPythonCache, probePython, resolvePandasModel } from '../../../src/core/python';
import { pythons, repoRoot, requirePython } from '../../support/python';

const dir = mkdtempSync(join(tmpdir(), 'headroom-probe-cache-'));
process.env.HEADROOM_CACHE_DIR = join(dir, 'cache');
const cacheFile = join(dir, 'cache', 'python-probes.json');

const sitePackages = (python: string) =>
  spawnSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], {
    encoding: 'utf8',
  }).stdout.trim();

/** Makes `site` hold (symlinks to) exactly the packages of `python`'s site-packages, as pip leaves them. */
function install(site: string, python: string): void {
  for (const name of readdirSync(site)) rmSync(join(site, name), { recursive: true, force: true });
  const from = sitePackages(requirePython(python));
  for (const name of readdirSync(from)) if (name !== '__pycache__') symlinkSync(join(from, name), join(site, name));
}

/** Rewrites the kept answer, so that a result carrying the mark can only have come from the cache. */
function markKeptAnswer(pandas: string): void {
  const all = JSON.parse(readFileSync(cacheFile, 'utf8')) as Record<string, { probe: { pandas: string } }>;
  const entries = Object.values(all);
  assert.equal(entries.length, 1);
  entries[0].probe.pandas = pandas;
  writeFileSync(cacheFile, JSON.stringify(all));
}

test('a kept probe answer is used until pandas is upgraded, then the interpreter is asked again', async () => {
  const venv = join(dir, 'venv');
  const made = spawnSync(requirePython(pythons.test), ['-m', 'venv', '--without-pip', venv]);
  assert.equal(made.status, 0, String(made.stderr));
  const python = join(venv, 'bin', 'python');
  const site = sitePackages(python);
  install(site, pythons.pandas2);

  const first = await probePython(python, { persist: true });
  assert.match(first.pandas!, /^2\.2\./);
  markKeptAnswer('2.2.999');
  clearPythonCache();
  // Nothing changed: the kept answer (with its mark) comes back without starting Python.
  assert.equal((await probePython(python, { persist: true })).pandas, '2.2.999');
  clearPythonCache();
  const viaModel = await resolvePandasModel(python, {}, { persistProbe: true });
  assert.equal(viaModel.probe?.pandas, '2.2.999');

  install(site, pythons.test);
  clearPythonCache();
  const upgraded = await probePython(python, { persist: true });
  assert.match(upgraded.pandas!, /^3\./, 'after the upgrade the interpreter must be asked again');
  clearPythonCache();
  const model = await resolvePandasModel(python, {}, { persistProbe: true });
  assert.equal(model.model.pandas, '3.0');

  // Uninstalled: no pandas answer is kept (the user is about to install it), and the old one is not used.
  for (const name of readdirSync(site)) if (/^pandas/.test(name)) rmSync(join(site, name), { recursive: true });
  clearPythonCache();
  assert.equal((await probePython(python, { persist: true })).pandas, null);
  clearPythonCache();
  assert.equal((await probePython(python, { persist: true })).pandas, null);
  clearPythonCache();
});

test('without persist the disk cache is neither read nor written', async () => {
  rmSync(cacheFile, { force: true });
  clearPythonCache();
  const probe = await probePython(requirePython(pythons.pandas1));
  assert.match(probe.pandas!, /^1\.5\./);
  assert.throws(() => readFileSync(cacheFile), /ENOENT/);
  clearPythonCache();
});

test('the CLI keeps the answer and starts from it on the next call', () => {
  const cli = join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) {
    const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
  }
  rmSync(cacheFile, { force: true });
  const csv = join(dir, 'small.csv');
  writeFileSync(csv, 'a,b\n1,x\n2,y\n');
  const run = () =>
    spawnSync(process.execPath, [cli, 'footprint', csv, '--python', requirePython(pythons.pandas2)], {
      encoding: 'utf8',
      env: { ...process.env, HEADROOM_CACHE_DIR: join(dir, 'cache') },
    });
  const first = run();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /modelling pandas 2\.2 on Python 3\.11/);
  markKeptAnswer('1.5.999');
  const second = run();
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stderr, /modelling pandas 1\.5 on Python 3\.11/, 'the second call used the kept answer');
});
