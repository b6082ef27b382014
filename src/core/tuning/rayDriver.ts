/**
 * The Ray driver process (python/headroom_runtime/ray_driver.py) and its one owner: started under
 * the run's interpreter in a process group of its own (Ctrl+C reaches the engine, which stops the
 * run in order), spoken to in JSON lines on stdin/stdout, and killed with its group on close. The
 * driver itself cancels every task of the run when its stdin closes, so an engine that dies
 * (SIGKILL) leaves nothing running on the cluster either.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { ClusterNode } from './events';
import { delimiter } from 'node:path';
import { JsonLines } from './outputSink';
import { LastLine } from './pythonProcess';
import { killTree } from './processTree';

/** How long connecting may take before the run fails with the address in the message. */
export const CONNECT_TIMEOUT_MS = 10_000;
/** After that, how long the driver may take to place the data file on every node (shipping it included). */
const PREPARE_TIMEOUT_MS = 600_000;

/** The driver could not connect; the message names the address (the engine turns it into a TuningError). */
export class RayConnectError extends Error {}

export interface RayDriverConfig {
  python: string;
  /** Directory holding the headroom_runtime package. */
  runtimeDir: string;
  address: string;
  runId: string;
  /** Shipped to every node as the trials' working directory. */
  workingDir: string;
  /** Left out of workingDir (gitignore syntax, relative to it). */
  excludes: string[];
  /** A data file that does not ship with the code: found on each node or shipped there once before the run starts. */
  dataOnNodes: string | null;
  env?: Record<string, string>;
}

/** A node as the driver reports it (events.ts ClusterNode without this run's trials). */
export type RayNodeState = Omit<ClusterNode, 'trials' | 'trialBytes'>;

export type DriverMessage = { type: string; trialId?: string; attempt?: number } & Record<string, unknown>;

/** How the driver process is started (also by the tests that hold its pipes themselves). */
export function driverLaunch(cfg: RayDriverConfig): { command: string; args: string[]; env: NodeJS.ProcessEnv } {
  return {
    command: cfg.python,
    args: ['-m', 'headroom_runtime.ray_driver', JSON.stringify(cfg)],
    env: {
      ...process.env,
      ...cfg.env,
      PYTHONPATH: [cfg.runtimeDir, process.env.PYTHONPATH].filter(Boolean).join(delimiter),
      PYTHONUNBUFFERED: '1',
      RAY_USAGE_STATS_ENABLED: '0',
    },
  };
}

export class RayDriver {
  private readonly child: ChildProcess;
  private readonly listeners: ((m: DriverMessage) => void)[] = [];
  private readonly stderr = new LastLine();
  private closing = false;
  /** Resolves when the driver process is gone; `error` is its last word when it died on its own. */
  readonly exited: Promise<{ code: number | null; error: string | null }>;
  private lastError: string | null = null;
  /** What the driver logged while it connected (the data file's placement): the scheduler reports it once it runs. */
  readonly connectLog: string[] = [];
  private ready = false;

  private constructor(cfg: RayDriverConfig) {
    const { command, args, env } = driverLaunch(cfg);
    this.child = spawn(command, args, { cwd: cfg.workingDir, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const lines = new JsonLines();
    this.child.stdout!.on('data', (chunk: Buffer) =>
      lines.push(chunk, (m) => {
        if (m.type === 'error') this.lastError = String(m.message);
        if (m.type === 'connected') this.ready = true;
        else if (m.type === 'log' && !this.ready) this.connectLog.push(String(m.message));
        for (const listener of this.listeners) listener(m as DriverMessage);
      }),
    );
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.child.stdin!.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.lastError = `cannot start ${cfg.python}: ${error.message}`;
        resolve({ code: null, error: this.lastError });
      });
      // Its own last word, else (it crashed, or was killed) the exit and the last line it wrote to stderr.
      this.child.once('exit', (code, signal) =>
        resolve({
          code,
          error:
            this.lastError ??
            `the Ray driver (${cfg.python}) ended with ${signal ?? `code ${code}`}${this.stderr.line ? `: ${this.stderr.line}` : ''}`,
        }),
      );
    });
  }

  /** Starts the driver and waits for it to connect: a clear error within CONNECT_TIMEOUT_MS otherwise. */
  static async connect(
    cfg: RayDriverConfig,
  ): Promise<{ driver: RayDriver; rayVersion: string; nodes: RayNodeState[] }> {
    const driver = new RayDriver(cfg);
    const when = (type: string) =>
      new Promise<DriverMessage>((resolve) => driver.onMessage((m) => m.type === type && resolve(m)));
    const [reached, connected] = [when('reached'), when('connected')];
    // Reaching the head has 10 s; placing the data on every node then may take longer (workers start, data ships).
    await driver.expect(reached, CONNECT_TIMEOUT_MS, `cannot connect to the Ray cluster at ${cfg.address}`);
    const ready = await driver.expect(
      connected,
      PREPARE_TIMEOUT_MS,
      `the Ray cluster at ${cfg.address} did not get ready`,
    );
    return { driver, rayVersion: String(ready.rayVersion), nodes: ready.nodes as RayNodeState[] };
  }

  private async expect(message: Promise<DriverMessage>, ms: number, what: string): Promise<DriverMessage> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
    const outcome = await Promise.race([message, this.exited, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.kill();
      throw new RayConnectError(`${what}: no answer within ${ms / 1000} s`);
    }
    if (!('type' in outcome)) {
      this.kill();
      throw new RayConnectError(outcome.error ?? `${what}: the driver exited with code ${outcome.code}`);
    }
    return outcome;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  onMessage(listener: (m: DriverMessage) => void): void {
    this.listeners.push(listener);
  }

  send(message: Record<string, unknown>): void {
    if (this.closing || !this.child.stdin?.writable) return;
    this.child.stdin.write(JSON.stringify(message) + '\n');
  }

  /** Asks the driver to cancel every task and leave; kills it (and its group) if it has not within `graceMs`. */
  async close(graceMs = 15_000): Promise<void> {
    if (!this.closing) {
      this.send({ type: 'shutdown' });
      this.closing = true;
      this.child.stdin?.end();
    }
    const timer = setTimeout(() => this.kill(), graceMs);
    await this.exited;
    clearTimeout(timer);
    this.kill();
  }

  /** SIGKILL to the driver's whole process group: the cluster then ends the tasks of its job itself. */
  kill(): void {
    this.closing = true;
    if (this.child.pid) killTree(this.child.pid, 'SIGKILL');
  }
}
