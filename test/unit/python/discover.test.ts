import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { choosePython } from '../../../src/core/python/choice';
import { discoverPython, stripJsonComments } from '../../../src/core/python/discover';

const root = mkdtempSync(join(tmpdir(), 'headroom-discover-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A folder laid out like a virtual environment, with an executable bin/python. */
function fakeEnvironment(folder: string): string {
  mkdirSync(join(folder, 'bin'), { recursive: true });
  const python = join(folder, 'bin', 'python');
  writeFileSync(python, '#!/bin/sh\n');
  chmodSync(python, 0o755);
  return python;
}

describe('discoverPython', () => {
  const project = join(root, 'project');
  const venvPython = fakeEnvironment(join(project, '.venv'));
  const nested = join(project, 'experiments', 'tuning');
  mkdirSync(nested, { recursive: true });

  it("finds the workspace's .venv from a folder below it", () => {
    const found = discoverPython({ env: {}, from: nested, useActivatedEnvironments: true });
    assert.equal(found?.path, venvPython);
    assert.match(found!.source, /the workspace's \.venv/);
  });

  it('an activated virtualenv or conda environment comes first in a terminal, not in VS Code', () => {
    const active = fakeEnvironment(join(root, 'active-env'));
    const conda = fakeEnvironment(join(root, 'conda-env'));
    const env = { VIRTUAL_ENV: join(root, 'active-env'), CONDA_PREFIX: join(root, 'conda-env') };
    assert.equal(discoverPython({ env, from: nested, useActivatedEnvironments: true })?.path, active);
    const condaOnly = { CONDA_PREFIX: join(root, 'conda-env') };
    const found = discoverPython({ env: condaOnly, from: nested, useActivatedEnvironments: true });
    assert.equal(found?.path, conda);
    assert.match(found!.source, /conda environment \(\$CONDA_PREFIX=/);
    assert.equal(discoverPython({ env, from: nested, useActivatedEnvironments: false })?.path, venvPython);
  });

  it('a VIRTUAL_ENV without a Python in it is passed over', () => {
    const env = { VIRTUAL_ENV: join(root, 'no-such-env') };
    assert.equal(discoverPython({ env, from: nested, useActivatedEnvironments: true })?.path, venvPython);
  });

  it('the nearest .vscode/settings.json naming Python wins over a .venv further up (comments, ${workspaceFolder})', () => {
    const workspace = join(project, 'experiments');
    mkdirSync(join(workspace, '.vscode'), { recursive: true });
    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      '{\n  // the team interpreter\n  "python.defaultInterpreterPath": "${workspaceFolder}/env/bin/python", /* c */\n}\n',
    );
    const found = discoverPython({ env: {}, from: nested, useActivatedEnvironments: true });
    assert.equal(found?.path, join(workspace, 'env', 'bin', 'python'));
    assert.match(found!.source, /python\.defaultInterpreterPath in .*experiments\/\.vscode\/settings\.json/);

    writeFileSync(
      join(workspace, '.vscode', 'settings.json'),
      '{ "python.defaultInterpreterPath": "a", "headroom.python.path": "../tools/py/bin/python", }',
    );
    const headroom = discoverPython({ env: {}, from: nested, useActivatedEnvironments: true });
    assert.equal(headroom?.path, join(project, 'tools', 'py', 'bin', 'python'));
    assert.match(headroom!.source, /^headroom\.python\.path in /);
    rmSync(join(workspace, '.vscode'), { recursive: true });
  });

  it('a broken settings file is passed over; nothing found is undefined', () => {
    const lonely = join(root, 'lonely');
    mkdirSync(join(lonely, '.vscode'), { recursive: true });
    writeFileSync(join(lonely, '.vscode', 'settings.json'), '{ "headroom.python.path": ');
    const found = discoverPython({ env: {}, from: lonely, useActivatedEnvironments: false });
    // tmpdir's ancestors hold no .venv on the machines this runs on; if one did, it would be found, not lonely's
    assert.ok(found === undefined || !found.path.startsWith(lonely), JSON.stringify(found));
  });
});

describe('stripJsonComments', () => {
  it('keeps comment-like text inside strings and drops trailing commas', () => {
    const text = '{"a": "http://x/*y*/", // c\n "b": [1, 2,], /* d */ "c": "\\"//"}';
    assert.deepEqual(JSON.parse(stripJsonComments(text)), { a: 'http://x/*y*/', b: [1, 2], c: '"//' });
  });
});

describe('choosePython', () => {
  const discovered = { path: '/w/.venv/bin/python', source: "the workspace's .venv (/w/.venv)" };
  it('spec, then --python, the Python extension, the setting, what was discovered, python3', () => {
    const all = { flag: '/f', pythonExtension: '/e', setting: '/s', discovered };
    assert.equal(choosePython(all, { python: '/p', specDir: '/' }).from, 'the spec');
    assert.deepEqual(choosePython(all), { path: '/f', source: 'flag', from: '--python' });
    assert.equal(choosePython({ ...all, flag: undefined }).source, 'python extension');
    assert.equal(choosePython({ setting: '/s', discovered }).source, 'setting');
    assert.deepEqual(choosePython({ discovered }), {
      path: discovered.path,
      source: 'discovered',
      from: discovered.source,
    });
    assert.match(choosePython({}).from, /^python3 from PATH: no activated virtualenv/);
  });
});
