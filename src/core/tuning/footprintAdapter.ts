/**
 * Seeds the memory forecast from the spec's `data:` file before any trial has run: the in-memory
 * size of the frame pandas would build (the footprint engine, quick mode, under the pandas model
 * of the trial's interpreter, from the probe the engine made before the run), or for a .npy array its payload size. Unknown formats give null,
 * and the forecast then waits for measured peaks.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { FootprintOptions, FootprintResult } from '../footprint/types';
import { probedModel, type PythonProbe } from '../python';

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

/** The footprint engine's analyzeFile: the VS Code side passes the one instance its features share. */
export type AnalyzeDataFile = (path: string, options: FootprintOptions) => Promise<FootprintResult>;

async function loadAndAnalyze(path: string, options: FootprintOptions): Promise<FootprintResult> {
  return (await import('../footprint')).analyzeFile(path, options);
}

/** `python` is the probe of the trials' interpreter the engine asked before the run (not asked again). */
export function footprintEstimator(
  python: PythonProbe,
  analyze: AnalyzeDataFile = loadAndAnalyze,
): (dataPath: string) => Promise<number | null> {
  return async (dataPath) => {
    if (/\.npy$/i.test(dataPath)) return npyPayload(dataPath);
    try {
      const { model } = probedModel(python, {}, { face: 'cli' });
      return (await analyze(dataPath, { model, mode: 'quick' })).totalBytes;
    } catch {
      return null;
    }
  };
}
