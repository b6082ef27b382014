// Each engine module must exist once in the extension host: the host bundles (dist/extension.js,
// dist/core-shared.js, dist/lazy-*.js) are loaded into one process, and a src/core module copied into
// two of them has two copies of its state (a run registry, a worker pool, an error class).
// Reads each host bundle's source map and lists every src/core module found in more than one.
// Usage: node scripts/check-bundles.mjs [distDir]   (scripts/build.mjs runs it after every build)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bundles of other runtimes: the CLI (its own process) and piscina's worker runtime (threads). */
const OTHER_RUNTIMES = new Set(['cli.js', 'worker.js']);

/** The src/core modules per host bundle: { 'extension.js': ['src/core/format.ts', ...], ... }. */
export function coreModulesByBundle(dist) {
  const out = {};
  for (const name of readdirSync(dist)) {
    if (!name.endsWith('.js') || OTHER_RUNTIMES.has(name)) continue;
    const mapPath = join(dist, `${name}.map`);
    if (!existsSync(mapPath)) throw new Error(`${name} has no source map (${mapPath}): the check cannot see inside it`);
    const { sources } = JSON.parse(readFileSync(mapPath, 'utf8'));
    out[name] = [
      ...new Set(
        sources.flatMap((s) => {
          const at = s.replace(/\\/g, '/').lastIndexOf('src/core/');
          return at < 0 ? [] : [s.slice(at)];
        }),
      ),
    ];
  }
  return out;
}

/** [module, bundles] for every src/core module in more than one bundle, sorted by module. */
export function duplicatedModules(byBundle) {
  const where = new Map();
  for (const [bundle, modules] of Object.entries(byBundle))
    for (const m of modules) where.set(m, [...(where.get(m) ?? []), bundle]);
  return [...where.entries()].filter(([, bundles]) => bundles.length > 1).sort(([a], [b]) => a.localeCompare(b));
}

/** Throws, listing them, when a module lands in more than one host bundle. */
export function checkBundles(dist) {
  const dups = duplicatedModules(coreModulesByBundle(dist));
  if (dups.length > 0) {
    throw new Error(
      `${dups.length} src/core module(s) in more than one host bundle (each would have its own state):\n` +
        dups.map(([m, bundles]) => `  ${m}: ${bundles.sort().join(', ')}`).join('\n'),
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? join(fileURLToPath(new URL('..', import.meta.url)), 'dist');
  try {
    checkBundles(dist);
    console.log('bundle check: every src/core module is in at most one host bundle');
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
