// Each engine module must exist once in the extension host: the host bundles (dist/extension.js,
// dist/core-shared.js, dist/lazy-*.js) are loaded into one process, and a src/core module copied into
// two of them has two copies of its state (a run registry, a worker pool, an error class).
// Reads each host bundle's source map and lists every src/core module found in more than one, and
// every file of a third-party library (a second copy of a library is its state twice and its bytes
// twice in the VSIX: libraries the engines share get a bundle of their own, scripts/bundles.mjs).
// Usage: node scripts/check-bundles.mjs [distDir]   (scripts/build.mjs runs it after every build)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Bundles of other runtimes: the CLI (its own process: cli.js and its commands' cli-NAME.js, one
 * command a process) and piscina's worker runtime (threads).
 */
const isOtherRuntime = (name) => name === 'worker.js' || /^cli(-\w+)?\.js$/.test(name);

/** The src/core modules per host bundle: { 'extension.js': ['src/core/format.ts', ...], ... }. */
export function coreModulesByBundle(dist) {
  return modulesByBundle(dist, 'src/core/');
}

/** The third-party files per host bundle: { 'lazy-yaml.js': ['node_modules/yaml/dist/index.js', ...], ... }. */
export function libraryFilesByBundle(dist) {
  return modulesByBundle(dist, 'node_modules/');
}

/** The sources under `prefix` (from its last occurrence in the source's path) per bundle `pick` takes (the host's). */
function modulesByBundle(dist, prefix, pick = (name) => !isOtherRuntime(name)) {
  const out = {};
  for (const name of readdirSync(dist)) {
    if (!name.endsWith('.js') || !pick(name)) continue;
    const mapPath = join(dist, `${name}.map`);
    if (!existsSync(mapPath)) throw new Error(`${name} has no source map (${mapPath}): the check cannot see inside it`);
    const { sources } = JSON.parse(readFileSync(mapPath, 'utf8'));
    out[name] = [
      ...new Set(
        sources.flatMap((s) => {
          const path = s.replace(/\\/g, '/');
          const at = path.lastIndexOf(prefix);
          return at < 0 ? [] : [path.slice(at)];
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

/** `name` and the bundles it loads: its require("./X.js") calls, followed through the files they name. */
function loadedWith(dist, name) {
  const seen = new Set([name]);
  const todo = [name];
  while (todo.length > 0) {
    for (const m of readFileSync(join(dist, todo.pop()), 'utf8').matchAll(/require\("\.\/([\w.-]+\.js)"\)/g)) {
      if (seen.has(m[1]) || !existsSync(join(dist, m[1]))) continue;
      seen.add(m[1]);
      todo.push(m[1]);
    }
  }
  return seen;
}

/**
 * [module, bundles] for every src/core module or library file that a CLI command's bundle
 * (cli-NAME.js) holds and a host bundle it loads holds too: two copies in one CLI process.
 */
export function cliDuplicates(dist) {
  const out = [];
  for (const name of readdirSync(dist).filter((n) => /^cli-\w+\.js$/.test(n))) {
    const loaded = loadedWith(dist, name);
    for (const prefix of ['src/core/', 'node_modules/']) {
      const byBundle = modulesByBundle(dist, prefix, (n) => loaded.has(n) && n !== 'cli.js');
      out.push(...duplicatedModules(byBundle).filter(([, bundles]) => bundles.includes(name)));
    }
  }
  return out;
}

/**
 * Throws, listing them, when a module (of src/core or of a library) lands in more than one host
 * bundle, or in a CLI command's bundle and a host bundle that command loads.
 */
export function checkBundles(dist) {
  const list = (dups) => dups.map(([m, bundles]) => `  ${m}: ${bundles.sort().join(', ')}`).join('\n');
  const core = duplicatedModules(coreModulesByBundle(dist));
  const libraries = duplicatedModules(libraryFilesByBundle(dist));
  const cli = cliDuplicates(dist);
  const problems = [
    core.length > 0 &&
      `${core.length} src/core module(s) in more than one host bundle (each would have its own state):\n${list(core)}`,
    libraries.length > 0 &&
      `${libraries.length} library file(s) in more than one host bundle (give the library a bundle of its own, scripts/bundles.mjs):\n${list(libraries)}`,
    cli.length > 0 &&
      `${cli.length} module(s) in a CLI command's bundle and in a host bundle it loads (import them through the engine's entry or core/shared.ts):\n${list(cli)}`,
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(problems.join('\n'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? join(fileURLToPath(new URL('..', import.meta.url)), 'dist');
  try {
    checkBundles(dist);
    console.log(
      'bundle check: every src/core module and library file is in at most one host bundle, and once in each CLI command',
    );
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
