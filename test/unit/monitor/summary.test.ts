import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SampleHistory } from '../../../src/core/monitor/history';
import { detailedSummary, memoryPressure, shortSummary } from '../../../src/core/monitor/summary';
import { formatBytes, formatUncertainty, parseBytes } from '../../../src/core/format';
import type { ResourceSample } from '../../../src/core/monitor/sample';

const GiB = 1024 ** 3;
function sample(timestamp: number, usedGiB = 9.2, totalGiB = 23.5): ResourceSample {
  return {
    timestamp,
    cpu: { percent: 37.4, cores: [10, 64.6] },
    memory: {
      totalBytes: totalGiB * GiB,
      usedBytes: usedGiB * GiB,
      availableBytes: (totalGiB - usedGiB) * GiB,
      source: 'host',
      hostTotalBytes: totalGiB * GiB,
    },
    swap: { totalBytes: 0, usedBytes: 0 },
    gpus: [],
  };
}

describe('summaries', () => {
  it('formats the status bar line', () => {
    assert.equal(shortSummary(sample(0)), 'CPU 37%  RAM 9.2/23.5 GiB');
  });
  it('grades memory pressure against the thresholds', () => {
    assert.equal(memoryPressure(sample(0, 10, 20), 80, 95), 'normal');
    assert.equal(memoryPressure(sample(0, 16.5, 20), 80, 95), 'warning');
    assert.equal(memoryPressure(sample(0, 19.5, 20), 80, 95), 'critical');
  });
  it('lists every core and says when there is no swap', () => {
    const text = detailedSummary(sample(0)).join('\n');
    assert.match(text, /` 0` .* 10%/);
    assert.match(text, /` 1` .* 65%/);
    assert.match(text, /Swap\*\* none configured/);
    assert.doesNotMatch(text, /GPU/);
  });
});

describe('SampleHistory', () => {
  it('keeps only the last N seconds', () => {
    const history = new SampleHistory(10);
    for (let t = 0; t <= 30_000; t += 1000) history.push(sample(t));
    const all = history.all();
    assert.equal(all[0].timestamp, 20_000);
    assert.equal(all.length, 11);
    history.setSeconds(5);
    assert.equal(history.all()[0].timestamp, 25_000);
  });
});

describe('format', () => {
  it('formats bytes in binary units', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(1536), '1.50 KiB');
    assert.equal(formatBytes(448 * 1024 ** 2), '448 MiB');
    assert.equal(formatBytes(23.5 * GiB), '23.5 GiB');
  });
  it('parses sizes', () => {
    assert.equal(parseBytes('2GB'), 2 * GiB);
    assert.equal(parseBytes('512 MiB'), 512 * 1024 ** 2);
    assert.equal(parseBytes('1.5g'), 1.5 * GiB);
    assert.equal(parseBytes('100'), 100);
    assert.equal(parseBytes('lots'), undefined);
  });
  it("formats a quick estimate's +- without rounding a small one to zero", () => {
    assert.equal(formatUncertainty(2), '±2.0%');
    assert.equal(formatUncertainty(0.14), '±0.1%');
    assert.equal(formatUncertainty(0.01), '±<0.1%');
  });
});
