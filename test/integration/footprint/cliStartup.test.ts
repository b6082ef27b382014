// What `headroom footprint` loads before it prints a small file's footprint. Its start-up is timed by
// `npm run bench` (bench/footprintKinds.bench.ts, cliStartup); this checks the causes that made it slow
// and that a timing would only blur: bundles loaded through Node's ESM loader (its CJS lexer), the
// libraries a CSV scanned in-thread does not need, and child_process when the probe's answer is kept.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pythons, repoRoot, requirePython } from '../../support/python';

const dir = mkdtempSync(join(tmpdir(), 'headroom-cli-startup-'));
const csv = join(dir, 'small.csv');
const loadedList = join(dir, 'loaded.json');
// Preloaded into the CLI: on exit, writes the files its require() compiled and the built-in modules loaded.
const recorder = join(dir, 'record.js');

function footprint(record: boolean) {
  const args = [join(repoRoot, 'dist', 'cli.js'), 'footprint', csv, '--python', requirePython(pythons.test)];
  const run = spawnSync(process.execPath, record ? ['--require', recorder, ...args] : args, {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, HEADROOM_CACHE_DIR: join(dir, 'cache'), LOADED_LIST: loadedList },
  });
  assert.equal(run.status, 0, run.stderr);
  return run.stdout;
}

before(() => {
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, build.stderr);
  const rows = Array.from({ length: 40 }, (_, i) => `${i},${(i * 3.17).toFixed(2)},Paris,2024-01-${10 + (i % 18)}`);
  writeFileSync(csv, ['id,amount,city,day', ...rows].join('\n') + '\n');
  writeFileSync(
    recorder,
    `process.on('exit', () => require('fs').writeFileSync(process.env.LOADED_LIST, JSON.stringify({
      files: Object.keys(require.cache),
      builtins: process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)),
    })));`,
  );
});

test('a small CSV loads only the CLI, its footprint command and the engine bundles it uses', () => {
  footprint(false); // the first call asks Python and keeps its answer
  const out = footprint(true);
  assert.match(out, /small\.csv {2}\(csv, 40 rows, 4 columns, exact mode/);
  assert.match(out, /id +int64 +320 B +0 +int8 +40 B +values 0\.\.39 fit in int8/);
  const { files, builtins } = JSON.parse(readFileSync(loadedList, 'utf8')) as { files: string[]; builtins: string[] };
  assert.deepEqual(
    files
      .filter((f) => f !== recorder)
      .map((f) => basename(f))
      .sort(),
    ['cli-footprint.js', 'cli.js', 'core-shared.js', 'lazy-footprint.js'],
    'no systeminformation (Linux: /proc/meminfo), piscina (no worker for a small file) or Parquet decompressors',
  );
  for (const m of ['internal/deps/cjs-module-lexer/lexer', 'internal/modules/esm/translators'])
    assert.ok(!builtins.includes(m), `${m}: a bundle was loaded through the ESM loader (an import() left as is)`);
  for (const m of ['worker_threads', 'child_process'])
    assert.ok(!builtins.includes(m), `${m} loaded: nothing here starts a thread or a process`);
});
