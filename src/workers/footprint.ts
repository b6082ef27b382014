// piscina worker: scans one byte range of a CSV/TSV (or a whole gzip stream) for the footprint engine.
import type { FootprintWorkerResult, FootprintWorkerTask } from '../protocol';
import { scanRange } from '../core/footprint/rangeScan';

export default function scan(task: FootprintWorkerTask): Promise<FootprintWorkerResult> {
  return scanRange(task);
}
