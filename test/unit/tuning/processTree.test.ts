import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { isAlive, killTree, listProcesses, parseStat, sampleTree, treeOf } from '../../../src/core/tuning/processTree';

test('stat lines with spaces and parentheses in the command name parse', () => {
  const line =
    '1234 (my (weird) proc) S 1 1234 1234 0 -1 4194304 100 0 0 0 250 50 10 5 20 0 1 0 100 1000000 300 18446744073709551615';
  const p = parseStat(line)!;
  assert.equal(p.pid, 1234);
  assert.equal(p.ppid, 1);
  assert.equal(p.pgrp, 1234);
  assert.equal(p.session, 1234);
  assert.equal(p.cpuMs, 3000);
  assert.equal(p.childCpuMs, 150);
  assert.equal(p.rssBytes, 300 * 4096);
});

test('a tree includes grandchildren and session members, and killTree ends them all', async () => {
  // sh (own group) -> sleep, and a backgrounded subshell whose sleep is re-parented when it exits
  const child = spawn('sh', ['-c', '(sleep 60 &) ; sleep 60'], { detached: true, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 300));
  const table = listProcesses();
  const tree = treeOf(child.pid!, table);
  assert.ok(tree.length >= 3, `tree: ${tree.map((p) => p.pid).join(',')}`);
  const sample = sampleTree(child.pid!, table);
  assert.ok(sample.rssBytes > 0);
  assert.ok(sample.pssBytes === null || sample.pssBytes > 0);
  killTree(child.pid!, 'SIGKILL');
  await new Promise((r) => setTimeout(r, 300));
  for (const p of tree)
    assert.equal(
      isAlive(p.pid) && listProcesses().find((q) => q.pid === p.pid)?.state !== 'Z',
      false,
      `pid ${p.pid} survived`,
    );
});
