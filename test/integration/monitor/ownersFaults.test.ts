// The crawl against processes that misbehave: one that exits between the listing and its reads, a
// zombie, /proc files this user may not read (EACCES, as another user), a pid reused by an
// unrelated process, and a VS Code server started by another Node program. None may break the crawl
// or carry memory to the wrong owner.
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { attribute } from '../../../src/core/monitor/owners';
import { linuxProc, ProcCrawler, type ProcSource } from '../../../src/core/monitor/procTable';
import { pythons, repoRoot, requirePython } from '../../support/python';
import { waitFor, workspace } from '../tuning/helpers';

const python = requirePython(pythons.test);
const started: number[] = [];
const track = (child: ChildProcess) => (started.push(child.pid!), child);
after(() => {
  const children = started.flatMap((pid) =>
    spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter(Boolean)
      .map(Number),
  );
  for (const pid of [...started, ...children]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
});

const state = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return 'gone';
  }
};
const sleeper = (env: Record<string, string> = {}, args: string[] = []) =>
  track(
    spawn(python, ['-c', 'import time; time.sleep(60)', ...args], { env: { ...process.env, ...env }, stdio: 'ignore' }),
  );

describe('the crawl under faults', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  it('a process that exits mid-crawl is left out, before its stat or before its smaps_rollup', async () => {
    const anchor = track(
      spawn('sh', [
        '-c',
        `${python} -c "import time; time.sleep(60)" & ${python} -c "import time; time.sleep(60)" & wait`,
      ]),
    );
    await waitFor(
      () =>
        execFileSync('sh', ['-c', `pgrep -P ${anchor.pid} || true`], { encoding: 'utf8' })
          .trim()
          .split('\n').length === 2,
      10_000,
      'two programs',
    );
    const [first, second] = execFileSync('pgrep', ['-P', String(anchor.pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    const killNow = (pid: number) => {
      process.kill(pid, 'SIGKILL');
      // Reaped by the shell, or a zombie until then: either way gone from the owner.
      const until = Date.now() + 5000;
      while (!['gone', 'Z'].includes(state(pid)) && Date.now() < until);
    };
    const source: ProcSource = {
      ...linuxProc,
      stat(pid) {
        if (pid === first) killNow(first); // listed, then gone before its stat is read
        return linuxProc.stat(pid);
      },
      rollup(pid) {
        if (pid === second) killNow(second); // stat read, then gone before its smaps_rollup
        return linuxProc.rollup(pid);
      },
    };
    const table = new ProcCrawler(source).crawl();
    const owners = attribute(table, { vscodeAnchors: [anchor.pid!] });
    const pids = owners.flatMap((o) => o.processes.map((p) => p.pid));
    assert.ok(!pids.includes(first), 'the process gone before its stat is not listed');
    assert.ok(table.pssDenied >= 1, 'the failed smaps_rollup read is counted');
    const secondEntry = owners.flatMap((o) => o.processes).find((p) => p.pid === second);
    // Its stat was read while it lived: listed at most with the RSS it had, never with PSS from another.
    if (secondEntry) assert.equal(secondEntry.measure, 'rss');
  });

  it('a zombie holds nothing and belongs to no owner; its parent stays listed', async () => {
    const parent = track(
      spawn(
        python,
        ['-c', 'import os, time\nif os.fork() == 0:\n    os._exit(0)\nprint("forked", flush=True)\ntime.sleep(60)'],
        {
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      ),
    );
    await new Promise((r) => parent.stdout!.once('data', r));
    const zombie = Number(execFileSync('pgrep', ['-P', String(parent.pid)], { encoding: 'utf8' }).trim());
    await waitFor(() => state(zombie) === 'Z', 5000, 'the zombie');
    const crawler = new ProcCrawler();
    for (let i = 0; i < 6; i++) {
      // Several crawls: a zombie must stay out whether its stat or only its statm is read.
      const owners = attribute(crawler.crawl(), { vscodeAnchors: [process.pid], topOthers: 1000 });
      const all = owners.flatMap((o) => o.processes);
      assert.ok(!all.some((p) => p.pid === zombie), 'zombie listed');
      assert.ok(all.some((p) => p.pid === parent.pid));
    }
  });

  it('as another user: what cannot be read (environ, exe, smaps_rollup) falls back to RSS, without errors', async () => {
    // A root-owned "VS Code" with a Python program, seen by nobody (uid 65534).
    if (process.getuid?.() !== 0) return;
    const anchor = track(
      spawn('sh', ['-c', `${python} -c "import time; b=b'x'*(50<<20); time.sleep(60)" & wait`], { stdio: 'ignore' }),
    );
    await waitFor(
      () => execFileSync('sh', ['-c', `pgrep -P ${anchor.pid} || true`], { encoding: 'utf8' }).trim() !== '',
      5000,
      'program',
    );
    const program = Number(execFileSync('pgrep', ['-P', String(anchor.pid)], { encoding: 'utf8' }).trim());
    await new Promise((r) => setTimeout(r, 500));
    const script = join(workspace({}), 'crawl.ts');
    writeFileSync(
      script,
      `import { OwnersMonitor } from ${JSON.stringify(join(repoRoot, 'src/core/monitor/ownersMonitor'))};\n` +
        `const m = new OwnersMonitor({ vscodeAnchors: [${anchor.pid}], topOthers: 1000 });\n` +
        `m.read({ totalBytes: 1, availableBytes: 0, usedBytes: 1, source: 'host', hostTotalBytes: 1 });\n` +
        `const s = m.read({ totalBytes: 1, availableBytes: 0, usedBytes: 1, source: 'host', hostTotalBytes: 1 });\n` +
        `console.log(JSON.stringify(s));\n`,
    );
    execFileSync('chmod', ['-R', 'a+rX', join(script, '..')]);
    const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
      uid: 65534,
      gid: 65534,
      cwd: repoRoot,
      encoding: 'utf8',
      env: { ...process.env, HOME: '/tmp' },
    });
    assert.equal(run.status, 0, run.stderr);
    const snapshot = JSON.parse(run.stdout) as import('../../../src/core/monitor/ownerTypes').OwnersSnapshot;
    const owner = snapshot.owners.find((o) => o.processes.some((p) => p.pid === program))!;
    assert.equal(owner.kind, 'program', JSON.stringify(owner));
    assert.equal(owner.measure, 'rss');
    assert.ok(snapshot.crawl.pssDenied >= 1);
    assert.ok(owner.bytes > 50 * 1024 * 1024);
  });

  it('a pid reused by an unrelated process does not inherit the old owner', async (t) => {
    if (process.getuid?.() !== 0) return t.skip('needs root to steer pid allocation');
    const crawler = new ProcCrawler();
    const trial = sleeper({ HEADROOM_RUN_ID: 'reuse-run', HEADROOM_RUN_DIR: '/nonexistent' }, ['headroom_runtime']);
    await waitFor(() => state(trial.pid!) === 'S', 5000, 'the trial');
    const first = attribute(crawler.crawl());
    assert.ok(first.find((o) => o.id === 'run:reuse-run')?.processes.some((p) => p.pid === trial.pid));
    const pid = trial.pid!;
    trial.kill('SIGKILL');
    await new Promise((r) => trial.once('exit', r));
    // Hand the same pid to an unrelated process (ns_last_pid: the next pid is this + 1).
    let reused: ChildProcess | undefined;
    for (let attempt = 0; attempt < 50 && !reused; attempt++) {
      writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
      const child = sleeper();
      if (child.pid === pid) reused = child;
      else child.kill('SIGKILL');
    }
    if (!reused) return t.skip('the pid was taken by another process each time');
    await waitFor(() => state(pid) === 'S', 5000, 'the new process');
    const owners = attribute(crawler.crawl(), { topOthers: 1000 });
    assert.equal(
      owners.find((o) => o.id === 'run:reuse-run'),
      undefined,
      'the run is gone with its trial',
    );
    const now = owners.find((o) => o.processes.some((p) => p.pid === pid));
    assert.equal(now?.kind, 'process', JSON.stringify(now));
  });

  it('a process that execs into Python after a crawl saw it (a pyenv shim, `exec python`) is re-read: a program', async () => {
    // A VS Code terminal's `python3 script.py` through a pyenv shim: the shim (bash) is crawled as
    // VS Code's, then execs Python in the same pid, with the same start time.
    const dir = workspace({ 'hold.py': 'import time\nb = bytearray(1 << 20)\ntime.sleep(60)\n' });
    const shim = `while [ ! -e ${join(dir, 'go')} ]; do sleep 0.05; done; exec ${python} ${join(dir, 'hold.py')}`;
    const anchor = track(spawn('sh', ['-c', `sh -c '${shim}' & wait`], { stdio: 'ignore' }));
    const child = () => Number(spawnSync('pgrep', ['-P', String(anchor.pid)], { encoding: 'utf8' }).stdout.trim());
    await waitFor(() => child() > 0, 5000, 'the shim');
    const pid = child();
    const crawler = new ProcCrawler();
    const before = attribute(crawler.crawl(), { vscodeAnchors: [anchor.pid!] });
    const vscodeOwner = before.find((o) => o.kind === 'vscode');
    assert.ok(
      vscodeOwner?.processes.some((p) => p.pid === pid),
      "the shim is VS Code's",
    );
    writeFileSync(join(dir, 'go'), '');
    await waitFor(() => readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('python'), 10_000, 'the exec');
    const after = attribute(crawler.crawl(), { vscodeAnchors: [anchor.pid!] });
    const owner = after.find((o) => o.processes.some((p) => p.pid === pid));
    assert.equal(owner?.kind, 'program', JSON.stringify(owner));
    assert.equal(owner.label, `hold.py (${pid})`);
    assert.equal(owner.processes[0].command, `${python} ${join(dir, 'hold.py')}`);
  });

  it('a VS Code server started detached by another Node program: its tree stops at its session leader', async () => {
    // The server (its own session, as a detached spawn, setsid or systemd make it) runs the "extension
    // host"; both run the same executable as this test process, which started the server.
    const server = track(
      spawn(
        process.execPath,
        [
          '-e',
          `const c = require('child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
           console.log(c.pid); setTimeout(() => {}, 60000);`,
        ],
        { detached: true, stdio: ['ignore', 'pipe', 'ignore'] },
      ),
    );
    const host = await new Promise<number>((resolve) => server.stdout!.once('data', (d: Buffer) => resolve(Number(d))));
    started.push(host);
    await waitFor(() => state(host) === 'S', 5000, 'the extension host');
    const owners = attribute(new ProcCrawler().crawl(), { vscodeAnchors: [host], topOthers: 1000 });
    const pids = owners.find((o) => o.kind === 'vscode')?.processes.map((p) => p.pid) ?? [];
    assert.deepEqual(pids.sort(), [server.pid!, host].sort(), 'the server and its extension host, nothing above');
    assert.equal(
      owners.find((o) => o.processes.some((p) => p.pid === process.pid))?.kind,
      'process',
      'the program that started the server is not VS Code',
    );
  });
});
