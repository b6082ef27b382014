import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { locateCgroupMemory } from '../../../src/core/monitor/cgroup';

const root = mkdtempSync(join(tmpdir(), 'headroom-cgroup-files-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the files the limit was found with are the ones to re-read (the tuning memory guard reads no other paths)', async () => {
  const v2 = join(root, 'v2');
  mkdirSync(v2);
  writeFileSync(join(v2, 'memory.max'), '4294967296\n');
  writeFileSync(join(v2, 'memory.current'), '1000\n');
  writeFileSync(join(v2, 'memory.stat'), 'inactive_file 10\n');
  assert.deepEqual((await locateCgroupMemory(v2))?.files, {
    usage: join(v2, 'memory.current'),
    stat: join(v2, 'memory.stat'),
    inactiveKey: 'inactive_file',
  });
  const v1 = join(root, 'v1');
  mkdirSync(join(v1, 'memory'), { recursive: true });
  writeFileSync(join(v1, 'memory', 'memory.limit_in_bytes'), '2147483648\n');
  writeFileSync(join(v1, 'memory', 'memory.usage_in_bytes'), '1000\n');
  assert.deepEqual((await locateCgroupMemory(v1))?.files, {
    usage: join(v1, 'memory', 'memory.usage_in_bytes'),
    stat: join(v1, 'memory', 'memory.stat'),
    inactiveKey: 'total_inactive_file',
  });
});
