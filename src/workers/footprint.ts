// piscina worker of the footprint engine: scans one byte range of a CSV/TSV (or a whole gzip stream),
// or reads one Parquet column.
import type { FootprintPoolResult, FootprintPoolTask } from '../core/footprint/pool';
import { readParquetColumn } from '../core/footprint/parquetColumns';
import { scanRange } from '../core/footprint/rangeScan';

export default function run(task: FootprintPoolTask): Promise<FootprintPoolResult> {
  return task.type === 'scan-range' ? scanRange(task) : readParquetColumn(task);
}
