// `headroom monitor --by-owner` as shipped (dist/cli.js): a memory hog started outside any owner is
// listed by name and pid, with its RSS within 5% of smaps_rollup; --json gives the same split.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { OwnersSnapshot } from '../../../src/core/monitor/ownerTypes';
import { pythons, repoRoot, requirePython } from '../../support/python';
import { waitFor, workspace } from '../tuning/helpers';
import { rollupOf } from './procTruth';

const cli = join(repoRoot, 'dist', 'cli.js');
const python = requirePython(pythons.test);

describe('headroom monitor --by-owner', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  const dir = workspace({ 'hog.py': "import time\nb = b'x' * (700 << 20)\ntime.sleep(120)\n" });
  const hog = Number(
    execFileSync('sh', ['-c', `${python} ${join(dir, 'hog.py')} >/dev/null 2>&1 </dev/null & echo $!`], {
      encoding: 'utf8',
    }).trim(),
  );
  after(() => process.kill(hog, 'SIGKILL'));

  it('--json: one split per line, the hog in an entry of its own', async () => {
    await waitFor(() => rollupOf(hog).rss > 700 * 1024 * 1024, 20_000, 'the hog');
    const run = spawnSync(
      process.execPath,
      [cli, 'monitor', '--by-owner', '--json', '--count', '2', '--interval', '250', '--top', '50'],
      {
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 2);
    const snapshot = JSON.parse(lines[1]) as OwnersSnapshot;
    const entry = snapshot.owners.find((o) => o.processes.some((p) => p.pid === hog))!;
    assert.equal(entry.label, `hog.py (${hog})`);
    assert.equal(entry.measure, 'rss');
    const truth = rollupOf(hog).rss;
    assert.ok(Math.abs(entry.bytes - truth) / truth < 0.05, `${entry.bytes} vs ${truth}`);
    assert.deepEqual(
      snapshot.owners.slice(-2).map((o) => o.kind),
      ['other', 'free'],
    );
  });

  it('text: a line per owner with its memory and what it was measured by', () => {
    const run = spawnSync(process.execPath, [cli, 'monitor', '--by-owner', '--count', '1', '--top', '50'], {
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`hog\\.py \\(${hog}\\)\\s+\\d+ MiB\\s+RSS\\s+1 process`));
    assert.match(run.stdout, /\n {2}Free +\d/);
    const bad = spawnSync(process.execPath, [cli, 'monitor', '--by-owner', '--top=many'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--top must be a whole number/);
  });
});
