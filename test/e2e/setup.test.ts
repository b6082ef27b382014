// The quick start's own install steps, as a new user meets them: code-server installed from nothing into
// an empty cache folder (as root this needs --unsafe-perm, which once broke every fresh machine while a
// cached install hid it), reused in seconds the second time, and a user who cannot install the Debian
// packages stopped at once with the line to run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CODE_SERVER_VERSION, repoRoot } from './harness/codeServer';

const isRoot = process.getuid?.() === 0;

function runSetupE2e(cache: string): { status: number | null; stdout: string; stderr: string; seconds: number } {
  const started = Date.now();
  const result = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-e2e.sh')], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, HEADROOM_E2E_CACHE: cache },
    timeout: 15 * 60_000,
  });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    seconds: (Date.now() - started) / 1000,
  };
}

describe('setup scripts', () => {
  it(`setup-e2e.sh installs code-server ${CODE_SERVER_VERSION} into an empty cache folder, then reuses it`, () => {
    const cache = mkdtempSync(join(tmpdir(), 'headroom-setup-test-'));
    try {
      const first = runSetupE2e(cache);
      assert.equal(first.status, 0, `first run failed:\n${first.stderr.slice(-4000)}`);
      assert.match(first.stderr, /installing code-server/, 'the first run installs');
      const bin = first.stdout.trim().split('\n').at(-1)!;
      assert.ok(bin.startsWith(cache), `code-server path ${bin} is inside the empty cache ${cache}`);
      const version = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(version.status, 0, version.stderr);
      assert.match(version.stdout, new RegExp(`^${CODE_SERVER_VERSION.replace(/\./g, '\\.')} `));
      const installLog = join(cache, `code-server-install.log`);
      const installedAt = statSync(installLog).mtimeMs;

      const second = runSetupE2e(cache);
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stderr, /already installed/);
      assert.equal(second.stdout.trim().split('\n').at(-1), bin);
      assert.equal(statSync(installLog).mtimeMs, installedAt, 'the second run did not run npm again');
      // "In seconds": the second run only checks dpkg and asks code-server its version.
      assert.ok(second.seconds < 30, `second run took ${second.seconds.toFixed(1)} s`);
      console.log(`# setup-e2e.sh: first run ${first.seconds.toFixed(1)} s, second ${second.seconds.toFixed(1)} s`);
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('setup-python.sh run again reuses the environments it made', () => {
    const started = Date.now();
    const result = spawnSync('bash', [join(repoRoot, 'scripts', 'setup-python.sh')], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 15 * 60_000,
    });
    const seconds = (Date.now() - started) / 1000;
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr + result.stdout, /Collecting|Installing collected/);
    assert.ok(seconds < 30, `setup-python.sh took ${seconds.toFixed(1)} s with its environments in place`);
    for (const python of ['.venv/bin/python', '.venv-pandas2/bin/python']) {
      const probe = spawnSync(join(repoRoot, python), ['-c', 'import pandas, pyarrow; print(pandas.__version__)'], {
        encoding: 'utf8',
      });
      assert.equal(probe.status, 0, `${python}: ${probe.stderr}`);
    }
  });

  // A user with neither root nor sudo, on a machine that lacks the Debian packages: simulated by running
  // as `nobody` in a mount namespace where dpkg's database is empty (so every package reads as missing).
  for (const [name, command] of [
    ['npm run demo', ['npm', 'run', '--silent', 'demo']],
    ['bash .ci/run', ['bash', '.ci/run']],
  ] as const) {
    it(`${name}, as a user who cannot install packages, stops at once with the apt-get line to run`, (t) => {
      if (!isRoot) return t.skip('needs root to make the mount namespace and switch to nobody');
      const copy = mkdtempSync(join(tmpdir(), 'headroom-nonroot-'));
      try {
        for (const part of ['package.json', 'scripts', '.ci'])
          cpSync(join(repoRoot, part), join(copy, part), { recursive: true });
        const emptyStatus = join(copy, 'empty-dpkg-status');
        writeFileSync(emptyStatus, '');
        chmodSync(copy, 0o755);
        const inner = [
          `mount --bind ${emptyStatus} /var/lib/dpkg/status`,
          `cd ${copy}`,
          `exec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=${copy} CI=true ${command.join(' ')}`,
        ].join(' && ');
        const started = Date.now();
        const result = spawnSync('unshare', ['-m', 'bash', '-c', inner], { encoding: 'utf8', timeout: 60_000 });
        const seconds = (Date.now() - started) / 1000;
        const output = result.stdout + result.stderr;
        assert.notEqual(result.status, 0, output);
        assert.match(output, /not root and has no password-less sudo/);
        assert.match(
          output,
          /apt-get update && apt-get install -y --no-install-recommends chromium ripgrep pkg-config g\+\+ make libkrb5-dev libxkbfile-dev libsecret-1-dev python3-venv python3-pandas/,
        );
        assert.doesNotMatch(output, /installing npm packages|npm ci|added \d+ packages/, 'nothing else ran first');
        assert.ok(seconds < 10, `stopped after ${seconds.toFixed(1)} s`);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    });
  }
});
