import { parseArgs } from 'node:util';
import { ResourceSampler } from '../core/monitor/sampler';
import { shortSummary } from '../core/monitor/summary';
import { formatBytes } from '../core/format';
import { byOwner } from './monitorOwners';
import type { ResourceSample } from '../core/monitor/sample';

const HELP = `usage: headroom monitor [--interval MS] [--count N] [--json] [--by-owner [--top N]]

  --interval MS  milliseconds between samples (default 1000, minimum 250)
  --count N      stop after N samples (default: until interrupted)
  --json         one JSON object per line instead of a live line
  --by-owner     who uses the memory: Headroom runs, Jupyter kernels, Python programs started from
                 VS Code, VS Code itself, the largest other processes, other and free
  --top N        with --by-owner: other processes listed by name (default 5)`;

/** `headroom monitor`: a line (or a JSON object) per sample until --count or Ctrl+C. */
export async function run(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        interval: { type: 'string', default: '1000' },
        count: { type: 'string' },
        json: { type: 'boolean', default: false },
        'by-owner': { type: 'boolean', default: false },
        top: { type: 'string', default: '5' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`headroom monitor: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const interval = Number(values.interval);
  const count = values.count === undefined ? Infinity : Number(values.count);
  if (!Number.isFinite(interval) || interval < 250) {
    console.error('headroom monitor: --interval must be a number of milliseconds, at least 250');
    return 2;
  }
  if (!(count >= 1) || (Number.isFinite(count) && !Number.isInteger(count))) {
    console.error('headroom monitor: --count must be a whole number, at least 1');
    return 2;
  }

  const top = Number(values.top);
  if (!Number.isInteger(top) || top < 0) {
    console.error('headroom monitor: --top must be a whole number, at least 0');
    return 2;
  }
  if (values['by-owner']) return byOwner(interval, count, values.json, top);

  const sampler = new ResourceSampler({ warn: (message) => console.error(`headroom monitor: ${message}`) });
  const live = !values.json && process.stdout.isTTY;
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // The first reading primes the CPU counters, so the first printed figure covers a real interval.
  await sampler.sample('full');
  for (let taken = 0; taken < count && !stopped; taken++) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    if (stopped) break;
    const sample = await sampler.sample('full');
    if (values.json) process.stdout.write(JSON.stringify(sample) + '\n');
    else if (live) process.stdout.write(`\r\x1b[K${line(sample)}`);
    else process.stdout.write(line(sample) + '\n');
  }
  if (live) process.stdout.write('\n');
  return 0;
}

function line(sample: ResourceSample): string {
  const cores = sample.cpu.cores.map((c) => Math.round(c).toString().padStart(4)).join('');
  const swap = sample.swap.totalBytes > 0 ? `  swap ${formatBytes(sample.swap.usedBytes)}` : '';
  const gpus = sample.gpus.map((g) => `  GPU${g.index} ${g.utilizationPercent ?? '?'}%`).join('');
  return `${new Date(sample.timestamp).toLocaleTimeString()}  ${shortSummary(sample)}  avail ${formatBytes(sample.memory.availableBytes)}  cores [${cores} ]${swap}${gpus}`;
}
