import type { GpuSample, ResourceSample } from './sample';
import { readCgroupMemory, type CgroupMemory } from './cgroup';
import { findNvidiaSmi, queryNvidiaGpus } from './gpu';
import { readMeminfo, type HostMemory } from './meminfo';
import { busyPercent, readCpuTicks, type CpuTicks } from './procStat';

/** 'status': what the status bar needs (CPU, memory, swap). 'full': also the GPUs, for the views. */
export type SampleDetail = 'status' | 'full';

export interface ProbeLogger {
  warn(message: string): void;
}

/** How often (in samples) the cgroup limit is looked up again; usage is read every sample. */
const CGROUP_RECHECK_EVERY = 60;

/**
 * Reads CPU, memory, swap and GPU. A failing probe is reported once through the logger and then
 * left out of the samples; it never stops the others.
 */
export class ResourceSampler {
  private previous?: { all: CpuTicks; cores: CpuTicks[] };
  private cgroupCheckedAt = -Infinity;
  private cgroupLimited = false;
  private samplesTaken = 0;
  private nvidiaSmi?: Promise<string | undefined>;
  private readonly reported = new Set<string>();
  private systemInformation?: Promise<typeof import('systeminformation')>;

  constructor(private readonly log?: ProbeLogger) {}

  async sample(detail: SampleDetail = 'status'): Promise<ResourceSample> {
    const cpu = this.readCpu();
    const [memory, gpus] = await Promise.all([
      this.readMemory(),
      detail === 'full' ? this.readGpus() : Promise.resolve([]),
    ]);
    this.samplesTaken++;
    return { timestamp: Date.now(), cpu, memory: memory.memory, swap: memory.swap, gpus };
  }

  private readCpu(): ResourceSample['cpu'] {
    try {
      const now = readCpuTicks();
      const before = this.previous;
      this.previous = now;
      if (!before || before.cores.length !== now.cores.length) {
        // First reading: the load since boot is the only honest figure until the next sample.
        return {
          percent: busyPercent({ busy: 0, total: 0 }, now.all),
          cores: now.cores.map((c) => busyPercent({ busy: 0, total: 0 }, c)),
        };
      }
      return {
        percent: busyPercent(before.all, now.all),
        cores: now.cores.map((c, i) => busyPercent(before.cores[i], c)),
      };
    } catch (error) {
      this.reportOnce('cpu', error);
      return { percent: 0, cores: [] };
    }
  }

  private async readMemory(): Promise<Pick<ResourceSample, 'memory' | 'swap'>> {
    // On Linux /proc/meminfo, read directly; elsewhere systeminformation, loaded on first use (it
    // ships as a bundle of its own) and kept: activation must stay cheap, and an import() per sample
    // would go through the module loader every time.
    let mem: HostMemory | undefined = await readMeminfo();
    if (!mem) {
      this.systemInformation ??= import('systeminformation');
      mem = await (await this.systemInformation).mem();
    }
    const hostTotal = mem.total;
    const hostAvailable = mem.available;
    const swap = { totalBytes: mem.swaptotal, usedBytes: mem.swapused };
    const cgroup = await this.readCgroup();
    if (cgroup && cgroup.limitBytes < hostTotal) {
      const available = Math.max(0, Math.min(hostAvailable, cgroup.limitBytes - cgroup.usedBytes));
      return {
        memory: {
          totalBytes: cgroup.limitBytes,
          availableBytes: available,
          usedBytes: cgroup.limitBytes - available,
          source: 'cgroup',
          hostTotalBytes: hostTotal,
        },
        swap,
      };
    }
    return {
      memory: {
        totalBytes: hostTotal,
        availableBytes: hostAvailable,
        usedBytes: hostTotal - hostAvailable,
        source: 'host',
        hostTotalBytes: hostTotal,
      },
      swap,
    };
  }

  /** Only reads cgroup files every sample when a limit was found; otherwise looks again now and then. */
  private async readCgroup(): Promise<CgroupMemory | undefined> {
    if (process.platform !== 'linux') return undefined;
    const due = this.samplesTaken - this.cgroupCheckedAt >= CGROUP_RECHECK_EVERY;
    if (!this.cgroupLimited && !due) return undefined;
    try {
      const cgroup = await readCgroupMemory();
      this.cgroupLimited = cgroup !== undefined;
      this.cgroupCheckedAt = this.samplesTaken;
      return cgroup;
    } catch (error) {
      this.reportOnce('cgroup', error);
      this.cgroupCheckedAt = this.samplesTaken;
      return undefined;
    }
  }

  private async readGpus(): Promise<GpuSample[]> {
    this.nvidiaSmi ??= findNvidiaSmi();
    const nvidiaSmi = await this.nvidiaSmi;
    if (!nvidiaSmi || this.reported.has('gpu')) return [];
    try {
      return await queryNvidiaGpus(nvidiaSmi);
    } catch (error) {
      this.reportOnce('gpu', error);
      return [];
    }
  }

  private reportOnce(probe: string, error: unknown): void {
    if (this.reported.has(probe)) return;
    this.reported.add(probe);
    const reason = error instanceof Error ? error.message : String(error);
    this.log?.warn(`The ${probe} probe failed and is left out of the readings from now on: ${reason}`);
  }
}
