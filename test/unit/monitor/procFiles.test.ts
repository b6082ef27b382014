// Kept /proc descriptors: fresh values on every read, and never another process's file after the
// one they were opened for is reaped (its pid reused or not).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { ProcFiles } from '../../../src/core/monitor/procFiles';

const buffer = Buffer.alloc(4096);
const children: ChildProcess[] = [];
after(() => {
  for (const c of children) c.kill('SIGKILL');
});
const start = (command: string, args: string[]) => {
  const child = spawn(command, args, { stdio: 'ignore' });
  children.push(child);
  return child;
};
const comm = (files: ProcFiles, pid: number) => {
  const n = files.read(pid, 'stat', buffer);
  return n < 0 ? undefined : buffer.toString('latin1', buffer.indexOf('(') + 1, buffer.lastIndexOf(')', n));
};
const exited = (child: ChildProcess) => new Promise((r) => child.once('exit', r));

describe('ProcFiles', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  it('a kept descriptor reads the file as it is now', () => {
    const files = new ProcFiles();
    const utime = () => {
      const n = files.read(process.pid, 'stat', buffer);
      const text = buffer.toString('latin1', 0, n);
      return Number(text.slice(text.lastIndexOf(')') + 2).split(' ')[11]);
    };
    const before = utime();
    assert.equal(files.heldCount, 1);
    const until = Date.now() + 100;
    while (Date.now() < until); // 10 clock ticks of user time
    assert.ok(utime() > before, 'utime grew');
    assert.equal(files.heldCount, 1, 'read through the same descriptor');
    files.closeAll();
  });

  it("a reaped process's descriptor reads nothing; its pid's next process is read afresh", async (t) => {
    const files = new ProcFiles();
    const first = start('sleep', ['60']);
    const pid = first.pid!;
    assert.equal(comm(files, pid), 'sleep');
    assert.equal(files.heldCount, 1);
    first.kill('SIGKILL');
    await exited(first);
    assert.equal(comm(files, pid), undefined, 'gone');
    assert.equal(files.heldCount, 0, 'its descriptor closed');
    // The same pid handed to another program (ns_last_pid: the next pid is this + 1), while a
    // descriptor opened for the first one is kept.
    if (process.getuid?.() !== 0) return t.skip('needs root to steer pid allocation');
    const again = start('sleep', ['60']);
    const kept = again.pid!;
    assert.equal(comm(files, kept), 'sleep');
    again.kill('SIGKILL');
    await exited(again);
    let reused: ChildProcess | undefined;
    for (let attempt = 0; attempt < 50 && !reused; attempt++) {
      writeFileSync('/proc/sys/kernel/ns_last_pid', String(kept - 1));
      const child = start('tail', ['-f', '/dev/null']);
      if (child.pid === kept) reused = child;
      else child.kill('SIGKILL');
    }
    if (!reused) return t.skip('the pid was taken by another process each time');
    // spawn returns once the child has exec'd: its comm is tail's already.
    assert.equal(comm(files, kept), 'tail', 'the new process, not the old one nor nothing');
    files.closeAll();
  });

  it('closes the descriptors of pids no longer listed, and holds no more than its limit', () => {
    const files = new ProcFiles(1);
    const a = start('sleep', ['60']).pid!;
    const b = start('sleep', ['60']).pid!;
    assert.equal(comm(files, a), 'sleep');
    assert.equal(comm(files, b), 'sleep', 'read beyond the limit, without keeping it open');
    assert.equal(files.heldCount, 1);
    files.prune([b]);
    assert.equal(files.heldCount, 0);
    assert.equal(comm(files, b), 'sleep');
    assert.equal(files.heldCount, 1);
    files.closeAll();
    assert.equal(files.heldCount, 0);
  });
});
