// Runs one test suite (unit | integration | e2e) with Node's built-in runner through tsx.
// Node 20's --test takes no globs, so the files are listed here. An optional filter narrows by path.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildKernel } from './build-kernel.mjs';

const [suite, filter] = process.argv.slice(2);
if (!['unit', 'integration', 'e2e'].includes(suite)) {
  console.error('usage: node scripts/run-tests.mjs unit|integration|e2e [filter]');
  process.exit(2);
}
const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
const files = walk(join('test', suite))
  .filter((f) => f.endsWith('.test.ts') && (!filter || f.includes(filter)))
  .map((f) => relative('.', f))
  .sort();
if (files.length === 0) {
  console.error(`no ${suite} tests found${filter ? ` matching ${filter}` : ''}`);
  process.exit(1);
}
// the footprint engine runs from source through tsx: it needs the compiled scan kernel
await buildKernel();
// Integration tests also run what the engines load from dist/ (the footprint pool's and the tuning
// engine's workers, the CLI): built from the sources now, so that a stale dist/ is never what passes.
if (suite === 'integration') {
  const built = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
// e2e tests share one code-server and one browser, so they run one file at a time.
const concurrency = suite === 'unit' ? [] : ['--test-concurrency=1'];
const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', ...concurrency, ...files], {
  stdio: 'inherit',
  env: { ...process.env, HEADROOM_TEST_SUITE: suite },
});
process.exit(result.status ?? 1);
