// One esbuild script, one bundle per runtime: extension host, CLI, piscina workers, webviews.
// Usage: node scripts/build.mjs [--watch] [--dev]
import * as esbuild from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildKernel } from './build-kernel.mjs';
import { checkBundles } from './check-bundles.mjs';
import { nodeBuilds, nodeCommon, root } from './bundles.mjs';

const dev = process.argv.includes('--dev');
const watch = process.argv.includes('--watch');
const dist = join(root, 'dist');

const dirEntries = (dir, pick) =>
  existsSync(join(root, dir)) ? readdirSync(join(root, dir)).flatMap((name) => pick(name) ?? []) : [];

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

const builds = [
  ...nodeBuilds(),
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
  ['src/core/tuning/tune.schema.json', 'schemas/tune.schema.json'],
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
  // Each engine module once in the extension host (a copy would have state of its own); --dev maps are inline.
  if (!dev) checkBundles(dist);
}
