// piscina worker of the footprint engine: scans one byte range of a CSV/TSV (or a whole gzip stream),
// or reads one Parquet column.
import { workerData } from 'node:worker_threads';
import type { FootprintPoolResult, FootprintPoolTask } from '../core/footprint/pool';
import { readParquetColumn } from '../core/footprint/parquetColumns';
import { scanRange } from '../core/footprint/rangeScan';
import { useCompiledKernel } from '../core/footprint/scanKernel';
import type { FootprintWorkerData } from '../core/footprint/workerProtocol';

useCompiledKernel((workerData as FootprintWorkerData).scanKernel);

export default function run(task: FootprintPoolTask): Promise<FootprintPoolResult> {
  return task.type === 'scan-range' ? scanRange(task) : readParquetColumn(task);
}
