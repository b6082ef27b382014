import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

interface Check {
  checkBundles(dist: string): void;
}
const load = async () =>
  (await import(pathToFileURL(join(__dirname, '..', '..', '..', 'scripts', 'check-bundles.mjs')).href)) as Check;

/** A dist/ of bundles with these source maps; `code` gives a bundle its text (its require() calls). */
function dist(maps: Record<string, string[]>, code: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'headroom-bundles-'));
  for (const [name, sources] of Object.entries(maps)) {
    writeFileSync(join(dir, name), code[name] ?? '');
    writeFileSync(join(dir, `${name}.map`), JSON.stringify({ version: 3, sources, mappings: '' }));
  }
  return dir;
}

test('the bundle check lists a src/core module found in two host bundles, with the bundles', async () => {
  const { checkBundles } = await load();
  const dir = dist({
    'extension.js': ['../src/extension.ts', '../src/core/tuning/runStore.ts', '../src/core/format.ts'],
    'lazy-tuning.js': ['../src/core/tuning/engine.ts', '../src/core/tuning/runStore.ts'],
    // other runtimes (the CLI process, piscina's worker) have their own copies by design
    'cli.js': ['../src/core/tuning/engine.ts', '../src/core/format.ts'],
  });
  try {
    assert.throws(
      () => checkBundles(dir),
      (e: Error) =>
        /src\/core\/tuning\/runStore\.ts: extension\.js, lazy-tuning\.js/.test(e.message) &&
        !e.message.includes('format.ts') &&
        !e.message.includes('engine.ts'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle check passes when every src/core module is in one host bundle', async () => {
  const { checkBundles } = await load();
  const dir = dist({
    'extension.js': ['../src/extension.ts', '../src/core/format.ts'],
    'lazy-tuning.js': ['../src/core/tuning/engine.ts'],
    'cli.js': ['../src/core/format.ts'],
    // the CLI's commands are bundles of that runtime too (scripts/bundles.mjs)
    'cli-footprint.js': ['../src/core/format.ts', '../src/core/tuning/engine.ts'],
  });
  try {
    checkBundles(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the bundle check lists a library file found in two host bundles (YAML in the tuning engine and the spec checks)', async () => {
  const { checkBundles } = await load();
  const dir = dist({
    'extension.js': ['../src/extension.ts'],
    'lazy-tuning.js': ['../src/core/tuning/spec.ts', '../node_modules/yaml/dist/index.js'],
    'lazy-spec-checks.js': ['../src/core/specEditing/specChecks.ts', '../node_modules/yaml/dist/index.js'],
    // the CLI is its own process
    'cli.js': ['../node_modules/yaml/dist/index.js', '../node_modules/ajv/dist/ajv.js'],
  });
  try {
    assert.throws(
      () => checkBundles(dir),
      (e: Error) =>
        /node_modules\/yaml\/dist\/index\.js: lazy-spec-checks\.js, lazy-tuning\.js/.test(e.message) &&
        !e.message.includes('ajv') &&
        !e.message.includes('src/core'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the bundle check lists a module a CLI command's bundle copies from a host bundle it loads, directly or not", async () => {
  const { checkBundles } = await load();
  const dir = dist(
    {
      'cli.js': [],
      'cli-footprint.js': [
        '../src/cli/footprint.ts',
        '../src/core/footprint/advisor.ts',
        '../src/core/format.ts',
        '../src/core/tuning/engine.ts',
      ],
      'lazy-footprint.js': ['../src/core/footprint/index.ts', '../src/core/footprint/advisor.ts'],
      'core-shared.js': ['../src/core/shared.ts', '../src/core/format.ts'],
      // not loaded by the footprint command: its copy of the tuning engine is the only one in that process
      'lazy-tuning.js': ['../src/core/tuning/engine.ts'],
    },
    {
      'cli.js': 'require("./cli-footprint.js")',
      'cli-footprint.js': 'var e=require("./lazy-footprint.js");',
      'lazy-footprint.js': 'var s=require("./core-shared.js"),p=require("./lazy-piscina.js");',
    },
  );
  try {
    assert.throws(
      () => checkBundles(dir),
      (e: Error) =>
        /src\/core\/footprint\/advisor\.ts: cli-footprint\.js, lazy-footprint\.js/.test(e.message) &&
        /src\/core\/format\.ts: cli-footprint\.js, core-shared\.js/.test(e.message) &&
        !e.message.includes('engine.ts'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
