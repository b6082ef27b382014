// Runs every bench/*.bench.ts in its own process (so one's memory does not skew another's), in name
// order, or only those whose name contains the first argument. Each writes bench/results/<name>.json.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2];
const benches = readdirSync(__dirname)
  .filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter)))
  .sort();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file}`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', join(__dirname, file)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    failed++;
    console.error(`${file} failed (exit ${result.status ?? result.signal})`);
  }
}
console.log(`\n${benches.length - failed} benchmarks ran, ${failed} failed; results in bench/results/`);
process.exit(failed ? 1 : 0);
