import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findNvidiaSmi, parseNvidiaSmi } from '../../../src/core/monitor/gpu';

describe('parseNvidiaSmi', () => {
  it('reads one line per GPU, memory in MiB', () => {
    const csv = '0, NVIDIA H100 80GB HBM3, 37, 81559, 1024, 41\n1, NVIDIA H100 80GB HBM3, 0, 81559, 4, 30\n';
    const gpus = parseNvidiaSmi(csv);
    assert.equal(gpus.length, 2);
    assert.deepEqual(gpus[0], {
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      utilizationPercent: 37,
      memoryTotalBytes: 81559 * 1024 * 1024,
      memoryUsedBytes: 1024 * 1024 * 1024,
      temperatureC: 41,
    });
  });

  it('turns [N/A] fields into null', () => {
    const [gpu] = parseNvidiaSmi('0, Tesla T4, [N/A], 15360, [N/A], [N/A]');
    assert.equal(gpu.utilizationPercent, null);
    assert.equal(gpu.memoryUsedBytes, null);
    assert.equal(gpu.temperatureC, null);
    assert.equal(gpu.memoryTotalBytes, 15360 * 1024 * 1024);
  });

  it('is empty for empty output', () => {
    assert.deepEqual(parseNvidiaSmi('\n'), []);
  });
});

describe('findNvidiaSmi', () => {
  it('finds nothing on a PATH without it', async () => {
    // /usr/bin and /usr/local/nvidia/bin are always searched; on machines without a GPU neither has it.
    const found = await findNvidiaSmi('/nonexistent');
    if (found) assert.match(found, /nvidia-smi/);
    else assert.equal(found, undefined);
  });
});
