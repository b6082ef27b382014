import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { busyPercent, parseProcStat } from '../../../src/core/monitor/procStat';

const STAT = `cpu  4705 356 584 3699 23 0 23 5 0 0
cpu0 1393 280 290 1700 12 0 10 3 0 0
cpu1 3312 76 294 1999 11 0 13 2 0 0
intr 114930548 113199788 3 0 5 263 0 4 [... lots more numbers ...]
ctxt 1990473
`;

describe('parseProcStat', () => {
  it('reads the total and each core, counting iowait as idle', () => {
    const parsed = parseProcStat(STAT)!;
    assert.deepEqual(parsed.all, {
      busy: 4705 + 356 + 584 + 0 + 23 + 5,
      total: 4705 + 356 + 584 + 3699 + 23 + 0 + 23 + 5,
    });
    assert.equal(parsed.cores.length, 2);
    assert.deepEqual(parsed.cores[0], {
      busy: 1393 + 280 + 290 + 10 + 3,
      total: 1393 + 280 + 290 + 1700 + 12 + 10 + 3,
    });
  });

  it('returns undefined for text without cpu lines', () => {
    assert.equal(parseProcStat('intr 1 2 3\n'), undefined);
  });
});

describe('busyPercent', () => {
  it('is the busy share of the ticks between two readings', () => {
    assert.equal(busyPercent({ busy: 100, total: 400 }, { busy: 175, total: 500 }), 75);
  });
  it('is 0 when no ticks passed and clamps to 0..100', () => {
    assert.equal(busyPercent({ busy: 5, total: 10 }, { busy: 5, total: 10 }), 0);
    assert.equal(busyPercent({ busy: 0, total: 10 }, { busy: 30, total: 20 }), 100);
  });
});
