// The crawler's cache of what a process runs (command line, environment), kept by pid between
// crawls: a reused pid (another start time) or an exec (another command name) is read afresh; an
// unchanged process is not read again; a process gone is forgotten.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProcCrawler, type ProcSource } from '../../../src/core/monitor/procTable';

interface Fake {
  comm: string;
  start: number;
  cmdline: string;
}

/** A /proc with the processes in `procs` (children of pid 1), counting command line reads. */
function fakeProc(procs: Map<number, Fake>) {
  const reads = new Map<number, number>();
  const source: ProcSource = {
    pids: () => [...procs.keys()],
    stat(pid) {
      const p = procs.get(pid);
      if (!p) return undefined;
      const fields = Array.from({ length: 50 }, () => '0');
      [fields[0], fields[1], fields[2], fields[3], fields[19], fields[21]] = [
        'S',
        '1',
        `${pid}`,
        `${pid}`,
        `${p.start}`,
        '10',
      ];
      return `${pid} (${p.comm}) ${fields.join(' ')}`;
    },
    statmRss: (pid) => (procs.has(pid) ? 10 * 4096 : undefined),
    cmdline(pid) {
      reads.set(pid, (reads.get(pid) ?? 0) + 1);
      return procs.get(pid)?.cmdline;
    },
    environ: () => undefined,
    exe: () => undefined,
    cwd: () => undefined,
    rollup: () => undefined,
  };
  return { source, reads: (pid: number) => reads.get(pid) ?? 0 };
}

const PID = 4242;

describe('process identities between crawls', () => {
  it('reads a command line once per program: again for a reused pid or an exec, not for the same process', () => {
    const procs = new Map<number, Fake>([[PID, { comm: 'sh', start: 500, cmdline: 'sh\0run.sh\0' }]]);
    const { source, reads } = fakeProc(procs);
    const crawler = new ProcCrawler(source);
    /** Crawls until the process's full stat has been read again (every fifth crawl at most); its argv then. */
    const argvOnceRead = (start: number, comm: string) => {
      for (let i = 0; i < 5; i++) {
        const table = crawler.crawl();
        const row = table.rows.get(PID)!;
        if (row.startTicks === start && row.comm === comm) return table.argv(row);
      }
      assert.fail('the full stat was not read within five crawls');
    };

    assert.deepEqual(argvOnceRead(500, 'sh'), ['sh', 'run.sh']);
    for (let i = 0; i < 6; i++) {
      const table = crawler.crawl();
      assert.deepEqual(table.argv(table.rows.get(PID)!), ['sh', 'run.sh']);
    }
    assert.equal(reads(PID), 1, 'the same process: read once');

    // The pid reused by another process (another start time), with the same command name.
    procs.set(PID, { comm: 'sh', start: 900, cmdline: 'sh\0other.sh\0' });
    assert.deepEqual(argvOnceRead(900, 'sh'), ['sh', 'other.sh'], 'not taken for the old process');
    assert.equal(reads(PID), 2);

    // That process execs Python: same pid, same start time, another command name.
    procs.set(PID, { comm: 'python3', start: 900, cmdline: 'python3\0train.py\0' });
    assert.deepEqual(argvOnceRead(900, 'python3'), ['python3', 'train.py'], 'the new program');
    assert.equal(reads(PID), 3);
    const table = crawler.crawl();
    assert.deepEqual(table.argv(table.rows.get(PID)!), ['python3', 'train.py']);
    assert.equal(reads(PID), 3, 'kept for the new program');
  });

  it('forgets the identity of a process no longer listed', () => {
    const procs = new Map<number, Fake>([[PID, { comm: 'sleep', start: 7, cmdline: 'sleep\x0060\0' }]]);
    const { source, reads } = fakeProc(procs);
    const crawler = new ProcCrawler(source);
    let table = crawler.crawl();
    table.argv(table.rows.get(PID)!);
    const gone = procs.get(PID)!;
    procs.delete(PID);
    assert.equal(crawler.crawl().rows.has(PID), false);
    procs.set(PID, gone);
    table = crawler.crawl();
    assert.deepEqual(table.argv(table.rows.get(PID)!), ['sleep', '60']);
    assert.equal(reads(PID), 2, 'read afresh: nothing was kept for it');
  });
});
