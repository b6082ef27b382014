/**
 * Loads host-side code as the extension ships it: `entry` is bundled with the extension bundle's own
 * esbuild options (scripts/bundles.mjs) into dist/, next to the lazy engine bundles it reaches at run
 * time, and required from there. Tests of what happens across bundles (one engine instance, one
 * worker pool) need this: run from sources through tsx, every module exists once whatever the bundling.
 * Needs a build (`node scripts/build.mjs`).
 */
import { existsSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..');

export async function loadHostBundle<T>(entry: string): Promise<T> {
  const dist = join(root, 'dist');
  if (!existsSync(join(dist, 'extension.js')))
    throw new Error('no dist/extension.js: run node scripts/build.mjs first');
  const esbuild = await import('esbuild');
  const layout = (await import(pathToFileURL(join(root, 'scripts', 'bundles.mjs')).href)) as {
    hostBuildOptions(name: string): Record<string, unknown>;
  };
  // .cjs: not a shipped bundle, so the bundle check (dist/*.js) never sees it
  const outfile = join(dist, `test-host-${basename(entry, '.ts')}-${process.pid}.cjs`);
  await esbuild.build({
    ...layout.hostBuildOptions('extension'),
    entryPoints: [join(root, entry)],
    outfile,
    sourcemap: false,
    absWorkingDir: root,
  });
  process.once('exit', () => rmSync(outfile, { force: true }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(outfile) as T;
}
