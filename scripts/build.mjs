// One esbuild script, one bundle per runtime: extension host, CLI, piscina workers, webviews.
// Usage: node scripts/build.mjs [--watch] [--dev]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildKernel } from './build-kernel.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const watch = process.argv.includes('--watch');
const dist = join(root, 'dist');

const dirEntries = (dir, pick) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).flatMap((name) => pick(name) ?? []) : [];

const nodeCommon = {
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
};

/** Every src/workers/*.ts becomes dist/workers/*.js, the files piscina (and the CLI) load by path. */
const workerEntries = Object.fromEntries(
  dirEntries('src/workers', (n) => (n.endsWith('.ts') ? [[`workers/${n.slice(0, -3)}`, `src/workers/${n}`]] : null)),
);
/** Every webview/<name>/main.ts becomes dist/webview/<name>.js (+ .css when it imports CSS). */
const webviewEntries = Object.fromEntries(
  dirEntries('webview', (n) =>
    existsSync(join(root, 'webview', n, 'main.ts')) ? [[`webview/${n}`, `webview/${n}/main.ts`]] : null,
  ),
);

/**
 * The heavy engines ship as bundles of their own, loaded on first use (src/lazyEngines.ts, the
 * sampler's systeminformation, the parser's web-tree-sitter), so activation compiles only the glue.
 * Each entry: which import, from which importing file, goes to which dist/ bundle.
 */
const lazyBundles = [
  {
    name: 'lazy-footprint',
    entry: 'src/core/footprint/index.ts',
    from: 'src/lazyEngines.ts',
    spec: './core/footprint/index',
  },
  { name: 'lazy-tuning', entry: 'src/core/tuning/index.ts', from: 'src/lazyEngines.ts', spec: './core/tuning/index' },
  {
    name: 'lazy-spec-checks',
    entry: 'src/core/runView/specChecks.ts',
    from: 'src/lazyEngines.ts',
    spec: './core/runView/specChecks',
  },
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
];
const lazyPlugin = {
  name: 'lazy-bundles',
  setup(build) {
    build.onResolve({ filter: /^(\.\/core\/|systeminformation$|web-tree-sitter$)/ }, (args) => {
      const hit = lazyBundles.find((l) => l.spec === args.path && join(root, l.from) === args.importer);
      return hit ? { path: `./${hit.name}.js`, external: true } : undefined;
    });
  },
};

const builds = [
  { ...nodeCommon, entryPoints: { extension: 'src/extension.ts' }, plugins: [lazyPlugin] },
  {
    ...nodeCommon,
    entryPoints: { cli: 'src/cli/main.ts' },
    banner: { js: '#!/usr/bin/env node' },
    plugins: [lazyPlugin],
  },
  { ...nodeCommon, entryPoints: Object.fromEntries(lazyBundles.map((l) => [l.name, l.entry])) },
  // piscina resolves its worker runtime as __dirname/worker.js; the bundles live in dist/, so it goes there.
  { ...nodeCommon, entryPoints: { worker: 'node_modules/piscina/dist/worker.js' } },
  { ...nodeCommon, entryPoints: workerEntries },
  {
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    sourcemap: dev ? 'inline' : false,
    minify: !dev,
    logLevel: 'warning',
    entryPoints: webviewEntries,
    loader: { '.ttf': 'file', '.woff2': 'file' },
  },
].filter((b) => Object.keys(b.entryPoints).length > 0);

/** Files that ship as they are (paths relative to the repo root -> relative to dist/). */
const copies = [
  ['node_modules/@vscode/codicons/dist/codicon.css', 'webview/codicon.css'],
  ['node_modules/@vscode/codicons/dist/codicon.ttf', 'webview/codicon.ttf'],
  ['node_modules/web-tree-sitter/web-tree-sitter.wasm', 'wasm/web-tree-sitter.wasm'],
  ['node_modules/tree-sitter-python/tree-sitter-python.wasm', 'wasm/tree-sitter-python.wasm'],
  ['python/headroom_runtime', 'python/headroom_runtime'],
  ['schemas', 'schemas'],
];

if (!watch) rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
for (const [from, to] of copies) {
  if (!existsSync(join(root, from))) continue;
  mkdirSync(dirname(join(dist, to)), { recursive: true });
  cpSync(join(root, from), join(dist, to), { recursive: true });
}

const started = Date.now();
await buildKernel();
if (watch) {
  for (const b of builds) await (await esbuild.context({ ...b, absWorkingDir: root, outdir: dist })).watch();
  console.log('watching...');
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...b, absWorkingDir: root, outdir: dist })));
  console.log(`built ${builds.length} bundles into dist/ in ${Date.now() - started} ms`);
}
