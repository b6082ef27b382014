import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, test } from 'node:test';
import { localModules } from '../../../src/core/tuning/localModules';

const root = mkdtempSync(join(tmpdir(), 'headroom-modules-'));
after(() => rmSync(root, { recursive: true, force: true }));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(root, 'ws-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const found = (dir: string, entry: string, roots = [dir]) =>
  localModules(join(dir, entry), roots)
    .map((f) => relative(dir, f))
    .sort();

test('direct, transitive, package and submodule imports of the workspace are found; the rest is not', () => {
  const dir = tree({
    'train.py': [
      'import os, numpy as np',
      'import helpers',
      'from pkg import sub',
      'from pkg.deep import thing as t',
      'from models import (',
      '    forest,',
      ')',
      'def f():',
      '    import lazy',
    ].join('\n'),
    'helpers.py': 'from util import clamp\n',
    'util.py': 'import helpers  # a cycle\n',
    'pkg/__init__.py': '',
    'pkg/sub.py': 'from . import sibling\nfrom .deep import other\n',
    'pkg/sibling.py': '',
    'pkg/deep/__init__.py': '',
    'pkg/deep/other.py': 'from .. import sub\n',
    'models.py': 'x = 1\n',
    'lazy.py': '',
    'unused.py': '',
  });
  assert.deepEqual(found(dir, 'train.py'), [
    'helpers.py',
    'lazy.py',
    'models.py',
    'pkg/__init__.py',
    'pkg/deep/__init__.py',
    'pkg/deep/other.py',
    'pkg/sibling.py',
    'pkg/sub.py',
    'util.py',
  ]);
});

test('a module with no local imports, or unreadable ones, gives nothing', () => {
  const dir = tree({ 'solo.py': 'import json\nfrom sklearn.ensemble import RandomForestClassifier\n' });
  assert.deepEqual(found(dir, 'solo.py'), []);
  assert.deepEqual(found(dir, 'missing.py'), []);
});

test('imports resolve under every root (the script folder and the spec folder)', () => {
  const dir = tree({ 'src/objective.py': 'import shared\n', 'shared.py': '', 'src/shared.py': '' });
  assert.deepEqual(found(dir, 'src/objective.py', [join(dir, 'src')]), ['src/shared.py']);
  assert.deepEqual(found(dir, 'src/objective.py', [join(dir, 'src'), dir]), ['src/shared.py']);
  assert.deepEqual(found(dir, 'src/objective.py', [dir]), ['shared.py']);
});
