import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readCgroupMemory } from '../../../src/core/monitor/cgroup';

const root = mkdtempSync(join(tmpdir(), 'headroom-cgroup-'));
after(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: Record<string, string>): string {
  const dir = join(root, name);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('readCgroupMemory', () => {
  it('reads a v2 limit and subtracts inactive file cache from the usage', async () => {
    const dir = tree('v2', {
      'memory.max': '4294967296\n',
      'memory.current': '1073741824\n',
      'memory.stat': 'anon 700000000\nfile 300000000\ninactive_file 73741824\nactive_file 1\n',
    });
    assert.deepEqual(await readCgroupMemory(dir), { limitBytes: 4294967296, usedBytes: 1073741824 - 73741824 });
  });

  it('treats "max" as no limit', async () => {
    const dir = tree('v2max', { 'memory.max': 'max\n', 'memory.current': '5\n' });
    assert.equal(await readCgroupMemory(dir), undefined);
  });

  it('reads a v1 limit and ignores the "unlimited" sentinel', async () => {
    const limited = tree('v1', {
      'memory/memory.limit_in_bytes': '2147483648\n',
      'memory/memory.usage_in_bytes': '1000000000\n',
      'memory/memory.stat': 'cache 5\ntotal_inactive_file 100000000\n',
    });
    assert.deepEqual(await readCgroupMemory(limited), { limitBytes: 2147483648, usedBytes: 900000000 });
    const unlimited = tree('v1none', { 'memory/memory.limit_in_bytes': '9223372036854771712\n' });
    assert.equal(await readCgroupMemory(unlimited), undefined);
  });
});
