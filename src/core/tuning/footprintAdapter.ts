/**
 * Seeds the memory forecast from the spec's `data:` file before any trial has run: the in-memory
 * size of the frame pandas would build (the footprint engine, quick mode, under the pandas model
 * of the trial's interpreter), or for a .npy array its payload size. Unknown formats give null,
 * and the forecast then waits for measured peaks.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { analyzeFile } from '../footprint';
import { resolvePandasModel } from '../python';

/** Bytes of a .npy array in memory: file size minus its header. */
function npyPayload(path: string): number | null {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(12);
    readSync(fd, head, 0, 12, 0);
    if (head.toString('latin1', 1, 6) !== 'NUMPY') return null;
    const major = head[6];
    const headerLen = major === 1 ? head.readUInt16LE(8) + 10 : head.readUInt32LE(8) + 12;
    return statSync(path).size - headerLen;
  } finally {
    closeSync(fd);
  }
}

export function footprintEstimator(python: string): (dataPath: string) => Promise<number | null> {
  return async (dataPath) => {
    if (/\.npy$/i.test(dataPath)) return npyPayload(dataPath);
    try {
      const { model } = await resolvePandasModel(python, {}, { face: 'cli' });
      return (await analyzeFile(dataPath, { model, mode: 'quick' })).totalBytes;
    } catch {
      return null;
    }
  };
}
