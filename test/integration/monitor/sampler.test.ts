// The sampler against the kernel's own numbers. Tolerances: memory within 64 MiB (other processes
// allocate between the two reads), CPU within 10 percentage points over a ~1 s window (the two
// windows start and end a few hundred microseconds apart, and the tick clock is 10 ms).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ResourceSampler } from '../../../src/core/monitor/sampler';
import { busyPercent, parseProcStat } from '../../../src/core/monitor/procStat';
import { readCgroupMemory } from '../../../src/core/monitor/cgroup';
import { readMeminfo } from '../../../src/core/monitor/meminfo';

const MiB = 1024 * 1024;

function meminfo(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of readFileSync('/proc/meminfo', 'utf8').split('\n')) {
    const m = /^(\w+):\s+(\d+) kB/.exec(line);
    if (m) out[m[1]] = Number(m[2]) * 1024;
  }
  return out;
}

const linux = process.platform === 'linux';

describe('ResourceSampler against /proc', { skip: !linux && 'needs Linux /proc' }, () => {
  it('reports MemTotal and MemAvailable (or the cgroup limit when one applies)', async () => {
    const warnings: string[] = [];
    const sampler = new ResourceSampler({ warn: (m) => warnings.push(m) });
    const before = meminfo();
    const sample = await sampler.sample('full');
    const after = meminfo();
    const cgroup = await readCgroupMemory();
    if (cgroup && cgroup.limitBytes < before.MemTotal) {
      assert.equal(sample.memory.source, 'cgroup');
      assert.equal(sample.memory.totalBytes, cgroup.limitBytes);
    } else {
      assert.equal(sample.memory.source, 'host');
      assert.equal(sample.memory.totalBytes, before.MemTotal);
      const low = Math.min(before.MemAvailable, after.MemAvailable) - 64 * MiB;
      const high = Math.max(before.MemAvailable, after.MemAvailable) + 64 * MiB;
      assert.ok(
        sample.memory.availableBytes >= low && sample.memory.availableBytes <= high,
        `available ${sample.memory.availableBytes} outside [${low}, ${high}]`,
      );
    }
    assert.equal(sample.memory.usedBytes, sample.memory.totalBytes - sample.memory.availableBytes);
    assert.equal(sample.swap.totalBytes, before.SwapTotal);
    assert.ok(sample.swap.usedBytes <= sample.swap.totalBytes);
    assert.deepEqual(warnings, [], 'no probe should fail on this machine');
  });

  it('reads memory as systeminformation does: on Linux the sampler reads /proc/meminfo itself', async () => {
    // systeminformation stays the reader off Linux; here both must give the same figures.
    const si = await import('systeminformation');
    const [ours, theirs] = await Promise.all([readMeminfo(), si.mem()]);
    assert.ok(ours, 'readMeminfo read /proc/meminfo');
    assert.equal(ours.total, theirs.total);
    assert.equal(ours.swaptotal, theirs.swaptotal);
    assert.ok(Math.abs(ours.available - theirs.available) <= 64 * MiB, `${ours.available} vs ${theirs.available}`);
    assert.ok(Math.abs(ours.swapused - theirs.swapused) <= 64 * MiB, `${ours.swapused} vs ${theirs.swapused}`);
  });

  it('reports CPU load that agrees with /proc/stat over the same window', async () => {
    const sampler = new ResourceSampler();
    const cores = parseProcStat(readFileSync('/proc/stat', 'utf8'))!.cores.length;
    await sampler.sample();
    const start = parseProcStat(readFileSync('/proc/stat', 'utf8'))!;
    // Load one core for most of the window so the figure is not trivially near zero.
    const until = Date.now() + 700;
    while (Date.now() < until) Math.sqrt(Math.random());
    await new Promise((r) => setTimeout(r, 300));
    const sample = await sampler.sample();
    const end = parseProcStat(readFileSync('/proc/stat', 'utf8'))!;
    assert.equal(sample.cpu.cores.length, cores);
    const expected = busyPercent(start.all, end.all);
    assert.ok(
      Math.abs(sample.cpu.percent - expected) <= 10,
      `sampler ${sample.cpu.percent.toFixed(1)}% vs /proc/stat ${expected.toFixed(1)}%`,
    );
    assert.ok(sample.cpu.percent > 100 / cores / 3, `a busy core must show: got ${sample.cpu.percent}`);
    for (const [i, load] of sample.cpu.cores.entries()) {
      const kernel = busyPercent(start.cores[i], end.cores[i]);
      assert.ok(
        Math.abs(load - kernel) <= 15,
        `core ${i}: sampler ${load.toFixed(1)}% vs /proc/stat ${kernel.toFixed(1)}%`,
      );
    }
  });

  it('has no GPU section and no error when nvidia-smi is absent', async (t) => {
    let hasSmi = true;
    try {
      execFileSync('nvidia-smi', ['-L'], { stdio: 'ignore' });
    } catch {
      hasSmi = false;
    }
    const warnings: string[] = [];
    const sample = await new ResourceSampler({ warn: (m) => warnings.push(m) }).sample('full');
    if (hasSmi) {
      t.diagnostic('nvidia-smi present: checking the GPU readings instead');
      assert.ok(sample.gpus.length > 0);
      for (const gpu of sample.gpus) assert.ok(gpu.memoryTotalBytes === null || gpu.memoryTotalBytes > 0);
    } else {
      assert.deepEqual(sample.gpus, []);
    }
    assert.deepEqual(warnings, []);
  });
});

describe('headroom monitor CLI', () => {
  it('prints one JSON object per sample with the documented fields', () => {
    const out = execFileSync(
      process.execPath,
      ['dist/cli.js', 'monitor', '--json', '--count', '3', '--interval', '250'],
      { encoding: 'utf8' },
    );
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 3);
    const total = meminfo().MemTotal;
    for (const line of lines) {
      const s = JSON.parse(line);
      assert.equal(typeof s.cpu.percent, 'number');
      assert.ok(Array.isArray(s.cpu.cores) && s.cpu.cores.length > 0);
      assert.ok(s.memory.totalBytes > 0 && s.memory.totalBytes <= total);
      assert.ok(s.memory.availableBytes > 0 && s.memory.availableBytes <= s.memory.totalBytes);
      assert.equal(s.memory.usedBytes, s.memory.totalBytes - s.memory.availableBytes);
      assert.equal(typeof s.swap.totalBytes, 'number');
      assert.ok(Array.isArray(s.gpus));
      assert.ok(Math.abs(s.timestamp - Date.now()) < 60_000);
    }
    const stamps = lines.map((l) => JSON.parse(l).timestamp);
    assert.ok(stamps[2] - stamps[0] >= 450, 'samples are spaced by the interval');
  });

  it('rejects a bad interval with a clear message and exit code 2', () => {
    assert.throws(
      () =>
        execFileSync(process.execPath, ['dist/cli.js', 'monitor', '--interval', '5'], {
          encoding: 'utf8',
          stdio: 'pipe',
        }),
      (error: { status: number; stderr: string }) => error.status === 2 && /at least 250/.test(error.stderr),
    );
  });
});
