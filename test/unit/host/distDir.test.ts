/**
 * Where dist/ is has one definition (src/core/distDir.ts): the folder activate() passes in is where
 * the Python parser's WebAssembly and the shipped headroom_runtime are found, before any guess.
 * (Its own process under node --test: setDistDir is process-wide.)
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setDistDir } from '../../../src/core/distDir';
import { locateWasm } from '../../../src/core/hints';
import { runtimeSourceDir } from '../../../src/core/runtime/install';

const dist = mkdtempSync(join(tmpdir(), 'headroom-dist-'));
after(() => rmSync(dist, { recursive: true, force: true }));
mkdirSync(join(dist, 'wasm'));
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), join(dist, 'wasm', 'web-tree-sitter.wasm'));
copyFileSync(
  require.resolve('tree-sitter-python/tree-sitter-python.wasm'),
  join(dist, 'wasm', 'tree-sitter-python.wasm'),
);
mkdirSync(join(dist, 'python', 'headroom_runtime'), { recursive: true });
writeFileSync(join(dist, 'python', 'headroom_runtime', '_wheel.py'), '');
setDistDir(dist);

test("the parser's WebAssembly comes from the dist/ passed in", () => {
  assert.deepEqual(locateWasm(), {
    runtime: join(dist, 'wasm', 'web-tree-sitter.wasm'),
    python: join(dist, 'wasm', 'tree-sitter-python.wasm'),
  });
});

test('the headroom_runtime to install comes from the dist/ passed in', () => {
  assert.equal(runtimeSourceDir(), join(dist, 'python'));
});
