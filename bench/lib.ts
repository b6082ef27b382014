import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** Writes bench/results/<name>.json with the machine it ran on, and prints the summary lines. */
export function writeResult(name: string, results: Record<string, unknown>, summary: string[]): void {
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const record = {
    name,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, totalMemBytes: totalmem(), node: process.version },
    results,
    summary,
  };
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(record, null, 2) + '\n');
  for (const line of summary) console.log(line);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
