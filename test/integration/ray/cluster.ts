/**
 * A real two-node Ray cluster for the tests, on loopback only: a network namespace with just `lo`
 * (Ray would otherwise use the machine's outward address), a head node and one worker node, one
 * CPU each, dashboard and usage stats off. Everything that talks to it (the CLI) runs inside the
 * namespace too. Teardown kills every process in the namespace (`ip netns pids`: exactly the
 * cluster's, unlike `ray stop`, which stops every Ray on the machine) and deletes it, also when a
 * test failed or the test process exits early.
 */
import { execFileSync, spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pythons, repoRoot, requirePython } from '../../support/python';

export const python = requirePython(pythons.test);
export const cli = join(repoRoot, 'dist', 'cli.js');
const ray = join(dirname(python), 'ray');
export const PORT = 6379;
export const ADDRESS = `127.0.0.1:${PORT}`;
const MiB = 1024 * 1024;
const CGROUP_MEMORY = '/sys/fs/cgroup/memory';

export interface Cluster {
  ns: string;
  address: string;
  /** The head's --temp-dir (Ray's session folders). */
  tempDir: string;
  /** Raylet pid and node-id prefix of the worker node (the one the fault test kills). */
  worker: { rayletPid: number };
  /** Runs a command inside the namespace. */
  exec(args: string[], options?: { timeout?: number; cwd?: string }): SpawnSyncReturns<string>;
  /** Starts `headroom tune ARGS` inside the namespace (for tests that signal it mid-run). */
  spawnTune(args: string[], cwd: string): ReturnType<typeof spawn>;
  teardown(): void;
}

/** Why the suite cannot run here (no namespaces), or null. Said loudly by the caller. */
export function namespaceUnavailable(): string | null {
  const probe = `hr-probe-${process.pid}`;
  const add = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (add.status !== 0)
    return `cannot create a network namespace (ip netns add: ${(add.stderr || add.error?.message || '').trim()})`;
  spawnSync('ip', ['netns', 'del', probe]);
  return null;
}

export function nsPids(ns: string): number[] {
  const out = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
  return out.stdout.split('\n').filter(Boolean).map(Number);
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

export function rayletPids(ns: string): number[] {
  return nsPids(ns).filter((pid) => cmdline(pid).split(' ')[0].endsWith('/raylet'));
}

function destroy(ns: string, tempDir: string, cgroup: string | null): void {
  for (let i = 0; i < 20; i++) {
    const pids = nsPids(ns).filter((pid) => pid !== process.pid);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    execFileSync('sleep', ['0.1']);
  }
  spawnSync('ip', ['netns', 'del', ns]);
  rmSync(tempDir, { recursive: true, force: true });
  // A memory cgroup goes once its last process has been reaped.
  for (let i = 0; cgroup && existsSync(cgroup) && i < 50; i++) {
    if (spawnSync('rmdir', [cgroup]).status === 0) break;
    execFileSync('sleep', ['0.1']);
  }
}

export interface ClusterOptions {
  /** Ray's `memory` resource of the head node. */
  headMemory?: number;
  /** Ray's `memory` resource of the worker node; null: a head node alone. */
  workerMemory?: number | null;
  /**
   * The head node in a memory cgroup of this size, which its raylet sees as the node's memory (a
   * private /sys/fs/cgroup/memory), with Ray's memory monitor killing above `threshold` of it,
   * checked every 100 ms: Ray's own OOM kill, on a small scale, for the other processes' sake.
   */
  memoryMonitor?: { cgroupBytes: number; threshold: number };
}

/** Head and (by default) a worker node, one CPU each, in a loopback-only namespace of their own. */
export function startCluster(options: ClusterOptions = {}): Cluster {
  const { headMemory = 512 * MiB, workerMemory = 1024 * MiB, memoryMonitor } = options;
  if (!existsSync(ray)) throw new Error(`${ray} is missing: run scripts/setup-python.sh (it installs ray into .venv)`);
  const ns = `hr-ray-${process.pid}`;
  const tempDir = `/tmp/hrr-${process.pid}`;
  const cgroup = memoryMonitor ? `${CGROUP_MEMORY}/${ns}` : null;
  const env = { ...process.env, RAY_USAGE_STATS_ENABLED: '0' };
  const exec = (args: string[], options: { timeout?: number; cwd?: string } = {}) =>
    spawnSync('ip', ['netns', 'exec', ns, ...args], {
      encoding: 'utf8',
      timeout: options.timeout ?? 120_000,
      // --json prints every event: a thousand trials are megabytes.
      maxBuffer: 1 << 30,
      cwd: options.cwd,
      env,
    });
  const teardown = () => destroy(ns, tempDir, cgroup);
  process.once('exit', teardown);
  execFileSync('ip', ['netns', 'add', ns]);
  try {
    execFileSync('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up']);
    const common = ['--num-cpus', '1', '--disable-usage-stats'];
    const headArgs = [
      ray,
      'start',
      '--head',
      '--port',
      String(PORT),
      '--include-dashboard=false',
      '--temp-dir',
      tempDir,
      '--memory',
      String(headMemory),
      ...common,
    ];
    const head = cgroup && memoryMonitor ? startInCgroup(ns, cgroup, memoryMonitor, headArgs, env) : exec(headArgs);
    if (head.status !== 0) throw new Error(`ray start --head failed:\n${head.stdout}\n${head.stderr}`);
    const headRaylets = rayletPids(ns);
    let workerRaylet = 0;
    if (workerMemory !== null) {
      const worker = exec([ray, 'start', '--address', ADDRESS, '--memory', String(workerMemory), ...common]);
      if (worker.status !== 0) throw new Error(`ray start --address failed:\n${worker.stdout}\n${worker.stderr}`);
      workerRaylet = rayletPids(ns).find((pid) => !headRaylets.includes(pid)) ?? 0;
      if (!workerRaylet) throw new Error(`no raylet of the worker node among ${rayletPids(ns).join(', ')}`);
    }
    return {
      ns,
      address: ADDRESS,
      tempDir,
      worker: { rayletPid: workerRaylet },
      exec,
      spawnTune: (args, cwd) =>
        spawn('ip', ['netns', 'exec', ns, process.execPath, cli, 'tune', ...args, '--python', python], {
          cwd,
          stdio: ['ignore', 'pipe', 'pipe'],
        }),
      teardown,
    };
  } catch (error) {
    teardown();
    throw error;
  }
}

/** Whether this machine has a cgroup v1 memory hierarchy a test may make a cgroup in (null) or why not. */
export function memoryCgroupUnavailable(): string | null {
  const probe = `${CGROUP_MEMORY}/hr-probe-${process.pid}`;
  const made = spawnSync('mkdir', [probe], { encoding: 'utf8' });
  if (made.status !== 0) return `cannot create a memory cgroup (${made.stderr.trim() || 'mkdir failed'})`;
  spawnSync('rmdir', [probe]);
  return null;
}

/**
 * Starts a node inside `cgroup` (limit set first): the shell joins the cgroup, enters the namespace
 * (a fresh /sys there), and mounts the cgroup's own folder as /sys/fs/cgroup/memory, where Ray reads
 * a node's memory limit and usage; the raylet and every worker it starts inherit both.
 */
function startInCgroup(
  ns: string,
  cgroup: string,
  monitor: { cgroupBytes: number; threshold: number },
  args: string[],
  env: NodeJS.ProcessEnv,
): SpawnSyncReturns<string> {
  execFileSync('mkdir', ['-p', cgroup]);
  writeFileSync(join(cgroup, 'memory.limit_in_bytes'), String(monitor.cgroupBytes));
  const name = cgroup.slice(CGROUP_MEMORY.length + 1);
  const inside = [
    'mount -t tmpfs none /sys/fs/cgroup',
    'mkdir -p /sys/fs/cgroup/memory /sys/fs/cgroup/.all',
    'mount -t cgroup -o memory cgroup /sys/fs/cgroup/.all',
    `mount --bind /sys/fs/cgroup/.all/${name} /sys/fs/cgroup/memory`,
    'umount -l /sys/fs/cgroup/.all',
    `exec ${args.map((a) => `'${a}'`).join(' ')}`,
  ].join(' && ');
  return spawnSync('sh', ['-c', `echo $$ > ${cgroup}/cgroup.procs && exec ip netns exec ${ns} sh -c "${inside}"`], {
    encoding: 'utf8',
    timeout: 120_000,
    env: {
      ...env,
      RAY_memory_usage_threshold: String(monitor.threshold),
      RAY_memory_monitor_refresh_ms: '100',
    },
  });
}

/**
 * Replaces the Ray version the cluster recorded at its start (GCS, where Ray's own check at ray.init
 * compares it with the connecting process's): a version mismatch as Ray sees it, without a second
 * Ray install. Returns the version it replaced, to put back.
 */
export function setClusterRayVersion(c: Cluster, version: string): string {
  const code = [
    'import json, sys',
    'from ray._raylet import GcsClient',
    'from ray._common.usage.usage_constants import CLUSTER_METADATA_KEY as KEY',
    `gcs = GcsClient(address=${JSON.stringify(c.address)})`,
    'meta = json.loads(gcs.internal_kv_get(KEY, namespace=b"cluster"))',
    'print(meta["ray_version"])',
    'meta["ray_version"] = sys.argv[1]',
    'gcs.internal_kv_put(KEY, json.dumps(meta).encode(), overwrite=True, namespace=b"cluster")',
  ].join('\n');
  const out = c.exec([python, '-c', code, version], { timeout: 60_000 });
  if (out.status !== 0) throw new Error(`cluster metadata: ${out.stderr}`);
  return out.stdout.trim().split('\n').pop()!;
}

/**
 * Mounts on every node only (in the mount namespace its raylet and workers share), not where the
 * driver runs: e.g. an empty tmpfs over a folder, which the nodes then do not have.
 */
export function mountOnNodes(c: Cluster, args: string[]): void {
  for (const pid of rayletPids(c.ns)) execFileSync('nsenter', ['-t', String(pid), '-m', 'mount', ...args]);
}

/** Inside the namespace: what the cluster holds now (GCS, no dashboard needed). */
export function clusterState(c: Cluster): {
  cpuFree: number;
  cpuTotal: number;
  aliveActors: number;
  nodesAlive: number;
} {
  const code = [
    'import json, ray',
    `ray.init(address=${JSON.stringify(c.address)}, logging_level="ERROR", log_to_driver=False)`,
    'from ray._private import state',
    'actors = [a for a in state.actors().values() if a.get("State") != "DEAD"]',
    'print(json.dumps({"cpuFree": ray.available_resources().get("CPU", 0), "cpuTotal": ray.cluster_resources().get("CPU", 0), "aliveActors": len(actors), "nodesAlive": sum(1 for n in ray.nodes() if n["Alive"])}))',
  ].join('\n');
  const out = c.exec([python, '-c', code], { timeout: 60_000 });
  if (out.status !== 0) throw new Error(`cluster state: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop()!) as ReturnType<typeof clusterState>;
}

/** Processes of this machine that carry the run's marker (trials, on any node of the local cluster). */
export function processesOfRun(runId: string): number[] {
  const marker = `HEADROOM_RUN_ID=${runId}`;
  return readdirPids().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
    } catch {
      return false;
    }
  });
}

function readdirPids(): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => pid !== process.pid);
}

export const GiB = 1024 * MiB;
export { MiB };
