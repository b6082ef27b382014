/**
 * One reading of the machine: produced by the sampler (core/monitor/sampler.ts), consumed by the
 * status bar, the Resources view (webview) and `headroom monitor --json`. Pure types.
 */

/** One reading of the machine. Produced by core's ResourceSampler; printed by `headroom monitor --json`. */
export interface ResourceSample {
  /** Milliseconds since the epoch when the reading was taken. */
  timestamp: number;
  cpu: {
    /** Busy share of all cores since the previous sample, 0..100. */
    percent: number;
    /** Busy share of each logical core since the previous sample, 0..100. */
    cores: number[];
  };
  memory: {
    /** Physical memory, or the container's memory limit when that is lower. */
    totalBytes: number;
    /** What a new process can still get without swapping: MemAvailable (or limit - usage in a container). */
    availableBytes: number;
    /** totalBytes - availableBytes. */
    usedBytes: number;
    /** Where totalBytes comes from. */
    source: 'host' | 'cgroup';
    /** The host's physical memory, also when a cgroup limit is in force. */
    hostTotalBytes: number;
  };
  swap: { totalBytes: number; usedBytes: number };
  /** NVIDIA GPUs; empty when there is none, when nvidia-smi is missing, or in status-only sampling. */
  gpus: GpuSample[];
}

export interface GpuSample {
  index: number;
  name: string;
  /** 0..100, null when the driver does not say. */
  utilizationPercent: number | null;
  memoryTotalBytes: number | null;
  memoryUsedBytes: number | null;
  temperatureC: number | null;
}
