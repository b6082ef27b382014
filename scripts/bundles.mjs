// Which bundle each part of the extension host's code lives in, and the esbuild plugin that keeps
// it there. Used by scripts/build.mjs and by the tests that load host code as it ships
// (test/support/hostBundle.ts).
//
// The host bundles (dist/extension.js, dist/core-shared.js, dist/lazy-*.js) run in one process, so
// each src/core module must be in exactly one of them (scripts/check-bundles.mjs proves it after
// every build): a module copied into two has two copies of its state. An import of a module owned
// by another bundle is left to that bundle's file (`require('./core-shared.js')`,
// `import('./lazy-tuning.js')`): the one loaded copy is used.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');

export const nodeCommon = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: dev ? 'inline' : 'linked',
  minify: !dev,
  keepNames: true,
  logLevel: 'warning',
  // Optional native helpers that systeminformation and piscina load inside try/catch.
  external: ['vscode', 'osx-temperature-sensor', '@napi-rs/nice'],
  // import() of another bundle (a lazy engine or library) becomes require(): esbuild otherwise keeps
  // it as a real import(), and Node then loads that CommonJS bundle through its ESM loader, which
  // checks its format and runs the CJS lexer over the whole file to find its exports before the CJS
  // loader compiles it again (~45 ms of the CLI's start-up for the 330 KB systeminformation bundle).
  supported: { 'dynamic-import': false },
};

/** Small engine modules the glue needs at once; the file lists them (`export * from './x'`). */
const SHARED_ENTRY = 'src/core/shared.ts';

/**
 * The heavy engines, each a bundle loaded on first use (src/lazyEngines.ts), so activation compiles
 * only the glue. An engine reaches another through its entry (core/tuning -> core/footprint).
 */
export const lazyEngines = [
  { name: 'lazy-footprint', entry: 'src/core/footprint/index.ts' },
  { name: 'lazy-tuning', entry: 'src/core/tuning/index.ts' },
  // Headroom's own checks of tuning specs: they parse YAML, a large library.
  { name: 'lazy-spec-checks', entry: 'src/core/specEditing/specChecks.ts' },
  // The spec's JSON Schema, which the tuning engine and the spec checks both read: in a bundle of its
  // own, so the host holds one copy and activation does not load it.
  { name: 'lazy-spec-schema', entry: 'src/core/tuning/specSchema.ts' },
  // The Python source analysis of the inline hints (the tree-sitter runtime is a library bundle of its own).
  { name: 'lazy-hints', entry: 'src/core/hints/index.ts' },
  // Memory by owner: the process table crawler, loaded when the first crawl is due.
  { name: 'lazy-owners', entry: 'src/core/monitor/ownersMonitor.ts' },
  // "New Tuning Spec": the starter spec, and the spec written for a script's own scikit-learn search.
  { name: 'lazy-new-spec', entry: 'src/core/specEditing/newSpec.ts' },
  // Installing and checking headroom_runtime in the user's interpreter (commands only).
  { name: 'lazy-runtime-install', entry: 'src/core/runtime/install.ts' },
];

/**
 * Third-party libraries in bundles of their own: which import (from which file, or from any file of
 * src/) goes to which bundle. Loaded on first use by the glue, or by the lazy engines that share them
 * (YAML: the tuning engine and the spec checks; piscina: the footprint and tuning engines), so the
 * VSIX ships each once; the CLI loads them from dist/ too.
 */
const lazyLibraries = [
  {
    name: 'lazy-systeminformation',
    entry: 'node_modules/systeminformation/lib/index.js',
    from: 'src/core/monitor/sampler.ts',
    spec: 'systeminformation',
  },
  {
    name: 'lazy-web-tree-sitter',
    entry: 'node_modules/web-tree-sitter/web-tree-sitter.cjs',
    from: 'src/core/hints/parser.ts',
    spec: 'web-tree-sitter',
  },
  { name: 'lazy-yaml', entry: 'node_modules/yaml/dist/index.js', spec: 'yaml' },
  // Parquet's decompressors (brotli's dictionary alone is 77 KB): half of the footprint engine's
  // bytes, compiled by every CSV footprint (a CLI call's start-up) though only Parquet pages use them.
  {
    name: 'lazy-hyparquet-compressors',
    entry: 'node_modules/hyparquet-compressors/src/index.js',
    spec: 'hyparquet-compressors',
  },
  { name: 'lazy-piscina', entry: 'node_modules/piscina/dist/index.js', spec: 'piscina' },
];

function sharedModules() {
  const text = readFileSync(join(root, SHARED_ENTRY), 'utf8');
  return [...text.matchAll(/^export \* from '(\.[^']+)';/gm)].map((m) => resolveTs(join(root, 'src/core', m[1])));
}

function resolveTs(path) {
  for (const candidate of [path, `${path}.ts`, join(path, 'index.ts')])
    if (candidate.endsWith('.ts') && existsSync(candidate)) return candidate;
  return null;
}

/** src file -> the host bundle that owns it. */
function owners() {
  const map = new Map(sharedModules().map((file) => [file, 'core-shared']));
  map.set(join(root, SHARED_ENTRY), 'core-shared');
  for (const engine of lazyEngines) map.set(join(root, engine.entry), engine.name);
  return map;
}

const librariesPlugin = {
  name: 'lazy-libraries',
  setup(build) {
    build.onResolve({ filter: /^(systeminformation|web-tree-sitter|yaml|piscina|hyparquet-compressors)$/ }, (args) => {
      const hit = lazyLibraries.find(
        (l) =>
          l.spec === args.path &&
          (l.from ? join(root, l.from) === args.importer : args.importer.startsWith(join(root, 'src'))),
      );
      return hit ? { path: `./${hit.name}.js`, external: true } : undefined;
    });
  },
};

/** For the host bundle `name`: imports of modules another host bundle owns go to that bundle's file. */
function ownedElsewherePlugin(name) {
  const owner = owners();
  return {
    name: 'owned-elsewhere',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (!args.importer.startsWith(join(root, 'src'))) return undefined;
        const file = resolveTs(join(dirname(args.importer), args.path));
        const bundle = file && owner.get(file);
        return bundle && bundle !== name ? { path: `./${bundle}.js`, external: true } : undefined;
      });
    },
  };
}

/** esbuild options of the host bundle `name` (extension, core-shared, lazy-*), entry points aside. */
export function hostBuildOptions(name) {
  return { ...nodeCommon, plugins: [librariesPlugin, ownedElsewherePlugin(name)] };
}

/**
 * The CLI's commands, each a bundle of its own (dist/cli-NAME.js) that dist/cli.js requires when the
 * command runs, so a call compiles only its own command's code (esbuild splits code only for ESM,
 * which Node would load through its slower ESM loader). Read from src/cli/main.ts's
 * `import('./NAME')` lines. A command reaches the engines as the extension does, through the host's
 * bundles (dist/core-shared.js, dist/lazy-*.js): the VSIX holds each engine once, and
 * scripts/check-bundles.mjs proves that a command's bundle copies no module of those it loads.
 */
const CLI_MAIN = 'src/cli/main.ts';
function cliCommands() {
  const text = readFileSync(join(root, CLI_MAIN), 'utf8');
  return [...new Set([...text.matchAll(/import\('\.\/(\w+)'\)/g)].map((m) => m[1]))];
}

const cliCommandsPlugin = {
  name: 'cli-commands',
  setup(build) {
    const commands = new Set(cliCommands());
    build.onResolve({ filter: /^\.\/\w+$/ }, (args) =>
      args.importer === join(root, CLI_MAIN) && commands.has(args.path.slice(2))
        ? { path: `./cli-${args.path.slice(2)}.js`, external: true }
        : undefined,
    );
  },
};

/** Every host bundle with its entry, then the CLI (its own process, on the host's engine bundles). */
export function nodeBuilds() {
  const host = [
    { name: 'extension', entry: 'src/extension.ts' },
    { name: 'core-shared', entry: SHARED_ENTRY },
    ...lazyEngines,
    ...lazyLibraries,
  ];
  return [
    ...host.map(({ name, entry }) => ({ ...hostBuildOptions(name), entryPoints: { [name]: entry } })),
    {
      ...nodeCommon,
      entryPoints: { cli: CLI_MAIN },
      banner: { js: '#!/usr/bin/env node' },
      plugins: [librariesPlugin, cliCommandsPlugin],
    },
    ...cliCommands().map((name) => ({
      ...hostBuildOptions(`cli-${name}`),
      entryPoints: { [`cli-${name}`]: `src/cli/${name}.ts` },
    })),
  ];
}
