// Sampler cost: CPU time (user + system, this process and its libuv threads) per sample, at the
// default 1 s interval over 60 samples, for status-only and full sampling. Target: < 1 ms a sample.
import { ResourceSampler, type SampleDetail } from '../src/core/monitor/sampler';
import { percentile, writeResult } from './lib';

const SAMPLES = Number(process.env.HEADROOM_BENCH_SAMPLES ?? 60);
const INTERVAL_MS = 1000;

async function measure(detail: SampleDetail) {
  const sampler = new ResourceSampler({ warn: (m) => console.error(m) });
  await sampler.sample(detail); // warm-up: first reading, lazy probes
  const perSample: number[] = [];
  const windowStart = process.cpuUsage();
  const wallStart = performance.now();
  for (let i = 0; i < SAMPLES; i++) {
    const before = process.cpuUsage();
    await sampler.sample(detail);
    const used = process.cpuUsage(before);
    perSample.push((used.user + used.system) / 1000);
    await new Promise((r) => setTimeout(r, INTERVAL_MS));
  }
  const window = process.cpuUsage(windowStart);
  const windowMs = (window.user + window.system) / 1000;
  return {
    detail,
    samples: SAMPLES,
    intervalMs: INTERVAL_MS,
    wallSeconds: (performance.now() - wallStart) / 1000,
    cpuMsPerSampleMean: perSample.reduce((a, b) => a + b, 0) / SAMPLES,
    cpuMsPerSampleP95: percentile(perSample, 95),
    // Everything the process spent over the window (timers included), divided by the samples taken.
    cpuMsPerSampleWholeWindow: windowMs / SAMPLES,
  };
}

async function main() {
  const status = await measure('status');
  const full = await measure('full');
  writeResult('monitor', { status, full, targetCpuMsPerSample: 1 }, [
    `sampler, status detail: ${status.cpuMsPerSampleMean.toFixed(3)} ms CPU/sample mean, p95 ${status.cpuMsPerSampleP95.toFixed(3)} ms, whole window ${status.cpuMsPerSampleWholeWindow.toFixed(3)} ms (target < 1 ms)`,
    `sampler, full detail:   ${full.cpuMsPerSampleMean.toFixed(3)} ms CPU/sample mean, p95 ${full.cpuMsPerSampleP95.toFixed(3)} ms, whole window ${full.cpuMsPerSampleWholeWindow.toFixed(3)} ms (target < 1 ms)`,
  ]);
}

void main();
