import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseMeminfo, readMeminfo } from '../../../src/core/monitor/meminfo';

const KiB = 1024;
// A 5.x kernel's file, shortened (the keys the sampler reads and their neighbours with similar names).
const MODERN = `MemTotal:       24576000 kB
MemFree:         1200000 kB
MemAvailable:   18000000 kB
Buffers:          300000 kB
Cached:          9000000 kB
SwapCached:        12345 kB
Active:          8000000 kB
Inactive(file):  4000000 kB
SwapTotal:       2097148 kB
SwapFree:        1597148 kB
Slab:             600000 kB
SReclaimable:     400000 kB
HugePages_Total:       0
`;

const root = mkdtempSync(join(tmpdir(), 'headroom-meminfo-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('parseMeminfo', () => {
  it('takes MemTotal, MemAvailable and swap in bytes', () => {
    assert.deepEqual(parseMeminfo(MODERN), {
      total: 24576000 * KiB,
      available: 18000000 * KiB,
      swaptotal: 2097148 * KiB,
      swapused: 500000 * KiB,
    });
  });

  it('estimates available memory without MemAvailable (kernels before 3.14) from Cached, not SwapCached', () => {
    const old = MODERN.replace(/^MemAvailable:.*\n/m, '');
    assert.equal(parseMeminfo(old)!.available, (1200000 + 300000 + 9000000 + 600000) * KiB);
  });

  it('reads no swap as zero and refuses a file without MemTotal', () => {
    const noSwap = MODERN.replace(/^Swap(Total|Free):.*\n/gm, '');
    assert.equal(parseMeminfo(noSwap)!.swaptotal, 0);
    assert.equal(parseMeminfo(noSwap)!.swapused, 0);
    assert.equal(parseMeminfo('MemFree: 100 kB\n'), undefined);
    assert.equal(parseMeminfo(''), undefined);
  });

  it('reads a file, and gives undefined for one that is missing', { skip: process.platform !== 'linux' }, async () => {
    const file = join(root, 'meminfo');
    writeFileSync(file, MODERN);
    assert.equal((await readMeminfo(file))!.total, 24576000 * KiB);
    assert.equal(await readMeminfo(join(root, 'absent')), undefined);
  });
});
