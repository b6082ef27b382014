// code-server side of the e2e harness: finds the packaged VSIX, prepares a throwaway profile with it
// installed, starts code-server in its own process group and stops its whole process tree.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..', '..');
export const artifactsDir = join(repoRoot, 'test', 'e2e', 'artifacts');
export const CODE_SERVER_VERSION = '4.100.3';

/** Where scripts/setup-e2e.sh installs code-server (outside the repo, shared by every clone). */
export function codeServerBin(): string {
  const cache = process.env.HEADROOM_E2E_CACHE ?? join(homedir(), '.cache', 'headroom-e2e');
  const bin = join(cache, `code-server-${CODE_SERVER_VERSION}`, 'node_modules', '.bin', 'code-server');
  if (!existsSync(bin)) throw new Error(`code-server is not installed at ${bin}: run bash scripts/setup-e2e.sh`);
  return bin;
}

/** The VSIX `npm run package` writes: headroom-<version>.vsix at the repo root. */
export function vsixPath(): string {
  const { name, version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const path = join(repoRoot, `${name}-${version}.vsix`);
  if (!existsSync(path)) throw new Error(`${path} is missing: run npm run package (npm run test:e2e does)`);
  return path;
}

export interface ProfileOptions {
  /** Folder copied into a temp dir and opened (default: the repo's demo/). */
  workspace?: string;
  /** Open `workspace` in place instead of a copy (the test must not write into it). */
  inPlace?: boolean;
  /** Workspace Trust on (default off, so the trust prompt does not cover the workbench). */
  trust?: boolean;
  /** Extra user settings, merged over the harness defaults. */
  settings?: Record<string, unknown>;
}

export interface Profile {
  root: string;
  userDataDir: string;
  extensionsDir: string;
  workspaceDir: string;
}

const baseSettings = (trust: boolean): Record<string, unknown> => ({
  'security.workspace.trust.enabled': trust,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
});

/** A fresh user-data dir and extensions dir with the VSIX installed, plus a copy of the workspace. */
export function createProfile(options: ProfileOptions = {}): Profile {
  const root = mkdtempSync(join(tmpdir(), 'headroom-e2e-'));
  const userDataDir = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const settings = { ...baseSettings(options.trust ?? false), ...options.settings };
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));

  const source = resolve(options.workspace ?? join(repoRoot, 'demo'));
  let workspaceDir = source;
  if (!options.inPlace) {
    workspaceDir = join(root, 'workspace');
    // Outputs of earlier demo sessions (.headroom/) stay behind: every test starts from the committed files.
    cpSync(source, workspaceDir, { recursive: true, filter: (src) => !/[/\\](\.headroom|__pycache__)$/.test(src) });
  }

  const vsix = vsixPath();
  const result = spawnSync(
    codeServerBin(),
    ['--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir],
    { encoding: 'utf8', timeout: 120_000 },
  );
  const installed = readdirSync(extensionsDir).some((d) => d.startsWith('headroom-dev.headroom-'));
  if (result.status !== 0 || !installed) {
    throw new Error(`installing ${vsix} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { root, userDataDir, extensionsDir, workspaceDir };
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error())));
    });
  });
}

export class CodeServer {
  private exited = false;
  private readonly onExit = (): void => this.killTree('SIGKILL');

  private constructor(
    readonly process: ChildProcess,
    readonly port: number,
    readonly logFile: string,
    readonly netns?: string,
  ) {
    process.once('exit', () => (this.exited = true));
    // Even when a test crashes, code-server must not outlive the test process.
    globalThis.process.once('exit', this.onExit);
  }

  /**
   * `netns`: run code-server (and so the extension host and every process it starts) inside that
   * network namespace (`ip netns exec`), e.g. a loopback-only one that holds a Ray cluster; its
   * 127.0.0.1 is the namespace's, so a browser must run there too (launchChromium(netns)).
   */
  static async start(profile: Profile, timeoutMs = 60_000, netns?: string): Promise<CodeServer> {
    const port = await freePort();
    const logFile = join(profile.root, 'code-server.log');
    const out = openSync(logFile, 'a');
    const args = [
      '--auth',
      'none',
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--disable-telemetry',
      '--disable-update-check',
      '--extensions-dir',
      profile.extensionsDir,
      '--user-data-dir',
      profile.userDataDir,
      profile.workspaceDir,
    ];
    // detached: its own process group, so the whole tree (extension host, pty host...) is killed together.
    // `ip netns exec` execs the command in place: the child is still code-server itself.
    const [command, argv] = netns
      ? ['ip', ['netns', 'exec', netns, codeServerBin(), ...args]]
      : [codeServerBin(), args];
    const child = spawn(command, argv, { detached: true, stdio: ['ignore', out, out] });
    closeSync(out);
    const server = new CodeServer(child, port, logFile, netns);
    try {
      await server.waitUntilAnswering(timeoutMs);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private async waitUntilAnswering(timeoutMs: number): Promise<void> {
    if (this.netns) return this.waitUntilAnsweringIn(this.netns, timeoutMs);
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`code-server exited during startup:\n${this.logTail()}`);
      try {
        const response = await fetch(`${this.url}/healthz`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`code-server did not answer on ${this.url} within ${timeoutMs} ms:\n${this.logTail()}`);
  }

  /** The same probe, from inside the namespace (this process cannot reach its 127.0.0.1): one watcher process. */
  private async waitUntilAnsweringIn(netns: string, timeoutMs: number): Promise<void> {
    const probe = `const end = Date.now() + ${timeoutMs};
      const poll = () => fetch('${this.url}/healthz').then((r) => r.ok, () => false).then((ok) =>
        ok ? process.exit(0) : Date.now() > end ? process.exit(1) : setTimeout(poll, 250));
      poll();`;
    const watcher = spawn('ip', ['netns', 'exec', netns, process.execPath, '-e', probe], { stdio: 'ignore' });
    const answered = await new Promise<boolean>((resolveProbe) => {
      const timer = setInterval(() => {
        if (!this.exited) return;
        watcher.kill('SIGKILL');
        resolveProbe(false);
      }, 250);
      watcher.once('exit', (code) => {
        clearInterval(timer);
        resolveProbe(code === 0);
      });
    });
    if (this.exited) throw new Error(`code-server exited during startup:\n${this.logTail()}`);
    if (!answered)
      throw new Error(
        `code-server did not answer on ${this.url} in ${netns} within ${timeoutMs} ms:\n${this.logTail()}`,
      );
  }

  logTail(lines = 40): string {
    return existsSync(this.logFile) ? readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n') : '';
  }

  /** SIGTERM to the whole tree, SIGKILL after 5 s for whatever is left. */
  async stop(): Promise<void> {
    globalThis.process.removeListener('exit', this.onExit);
    if (this.process.pid !== undefined) await stopProcessTree(this.process.pid);
  }

  private killTree(signal: NodeJS.Signals): void {
    if (this.process.pid !== undefined) signalTree(this.process.pid, [], signal);
  }
}

/** `signal` to the process group led by `leader` (a detached child) and to each of `pids`. */
function signalTree(leader: number, pids: number[], signal: NodeJS.Signals): void {
  try {
    process.kill(-leader, signal);
  } catch {
    // group already gone
  }
  for (const p of pids.length ? pids : descendantsOf(leader)) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

/** Stops a detached child and everything below it: SIGTERM, then SIGKILL after 5 s for what is left. */
export async function stopProcessTree(leader: number): Promise<void> {
  const tree = [leader, ...descendantsOf(leader)];
  signalTree(leader, tree, 'SIGTERM');
  const alive = (): number[] => tree.filter((p) => existsSync(`/proc/${p}`) && !isZombie(p));
  const deadline = Date.now() + 5_000;
  while (alive().length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  for (const p of alive()) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Every process below `root`, found through /proc (some, like terminal shells, start new sessions). */
export function descendantsOf(root: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // the process ended while we looked
    }
  }
  const found: number[] = [];
  const queue = [root];
  while (queue.length) {
    for (const child of parents.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

export function removeProfile(profile: Profile): void {
  rmSync(profile.root, { recursive: true, force: true });
}
