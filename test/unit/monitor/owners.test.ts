import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { largestOwner, LowMemoryWatch, lowMemoryMessage } from '../../../src/core/monitor/lowMemory';
import { notebookName, programName, pythonTarget } from '../../../src/core/monitor/owners';
import { growthRate, splitMemory } from '../../../src/core/monitor/ownersMonitor';
import type { MemoryOwner, OwnersPoint } from '../../../src/core/monitor/ownerTypes';
import type { ResourceSample } from '../../../src/core/monitor/sample';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const memory = (availableGiB: number, totalGiB = 20): ResourceSample['memory'] => ({
  totalBytes: totalGiB * GiB,
  availableBytes: availableGiB * GiB,
  usedBytes: (totalGiB - availableGiB) * GiB,
  source: 'host',
  hostTotalBytes: totalGiB * GiB,
});
const owner = (id: string, bytes: number, extra: Partial<MemoryOwner> = {}): MemoryOwner => ({
  id,
  kind: 'process',
  label: id,
  detail: '',
  bytes,
  measure: 'rss',
  processes: [],
  hiddenProcesses: 0,
  ...extra,
});

describe('low-memory warning', () => {
  const t0 = 1_000_000;
  it('warns once available memory stays below the threshold for the sustain time, once per episode', () => {
    const watch = new LowMemoryWatch({ thresholdPercent: 10, sustainMs: 3000, startupGraceMs: 0 }, t0);
    assert.equal(watch.update(memory(1.5), t0), false, 'not at once');
    assert.equal(watch.update(memory(1.5), t0 + 2000), false);
    assert.equal(watch.update(memory(1.5), t0 + 3000), true, 'after 3 s below');
    assert.equal(watch.update(memory(1.2), t0 + 4000), false, 'not twice in the episode');
    assert.equal(watch.update(memory(2.1), t0 + 5000), false, 'just above the threshold: the same episode');
    assert.equal(watch.update(memory(1.5), t0 + 9000), false, 'dipping again within the margin is no new episode');
    assert.equal(watch.update(memory(5), t0 + 10_000), false, 'recovered: the episode ends');
    assert.equal(watch.update(memory(1.5), t0 + 11_000), false);
    assert.equal(watch.update(memory(1.5), t0 + 14_000), true, 'a new episode warns again');
  });

  it('a short dip is no episode', () => {
    const watch = new LowMemoryWatch({ thresholdPercent: 10, startupGraceMs: 0 }, t0);
    assert.equal(watch.update(memory(1), t0), false);
    assert.equal(watch.update(memory(6), t0 + 1000), false);
    assert.equal(watch.update(memory(1), t0 + 3500), false, 'the clock restarted after the dip');
  });

  it('stays quiet in the first minute unless memory is really short', () => {
    const watch = new LowMemoryWatch({ thresholdPercent: 9 }, t0);
    assert.equal(watch.update(memory(1.5), t0 + 1000), false);
    assert.equal(watch.update(memory(1.5), t0 + 30_000), false, '7.5% left during start-up: no warning');
    assert.equal(watch.update(memory(0.5), t0 + 31_000), true, '2.5% left (below a third of 9%): warns');
    const later = new LowMemoryWatch({ thresholdPercent: 9 }, t0);
    later.update(memory(1.5), t0 + 59_000);
    assert.equal(later.update(memory(1.5), t0 + 62_000), true, 'after the first minute');
  });

  it('a changed threshold starts a new episode; the same threshold set again does not', () => {
    const watch = new LowMemoryWatch({ thresholdPercent: 10, startupGraceMs: 0 }, t0);
    watch.update(memory(1.5), t0);
    assert.equal(watch.update(memory(1.5), t0 + 3000), true);
    watch.setOptions({ thresholdPercent: 10, startupGraceMs: 0 });
    assert.equal(watch.update(memory(1.5), t0 + 7000), false, 'same threshold: the same episode');
    watch.setOptions({ thresholdPercent: 12, startupGraceMs: 0 });
    assert.equal(watch.update(memory(1.5), t0 + 8000), false, 'the sustain time runs again');
    assert.equal(watch.update(memory(1.5), t0 + 11_000), true, 'then it warns under the new threshold');
  });

  it('is off at 0%', () => {
    const watch = new LowMemoryWatch({ thresholdPercent: 0, startupGraceMs: 0 }, t0);
    assert.equal(watch.update(memory(0.01), t0), false);
    assert.equal(watch.update(memory(0.01), t0 + 10_000), false);
  });

  it('names the largest owner (never other or free) and its growth', () => {
    const snapshot = splitMemory(
      [owner('a', 3 * GiB, { label: 'Run "sweep"', kind: 'run', measure: 'pss' }), owner('b', 1 * GiB)],
      memory(1, 20),
      { processes: 3, cpuMs: 1, pssReads: 1, pssDenied: 0 },
    );
    assert.equal(largestOwner(snapshot)?.id, 'a', 'other (15 GiB) is larger but not nameable');
    assert.equal(
      lowMemoryMessage(snapshot, 120 * MiB),
      'Memory is low: 1.00 GiB available of 20.0 GiB. Largest: Run "sweep" with 3.00 GiB (PSS), growing 120 MiB/s.',
    );
    assert.match(lowMemoryMessage(snapshot, 1000), /steady over the last 30 s\.$/);
    assert.match(lowMemoryMessage(snapshot, null), /with 3\.00 GiB \(PSS\)\.$/);
  });
});

describe('the split against the sample', () => {
  it('other is used memory no owner accounts for; free is the available memory', () => {
    const s = splitMemory([owner('a', 4 * GiB), owner('b', 2 * GiB)], memory(5, 20), {
      processes: 2,
      cpuMs: 0,
      pssReads: 0,
      pssDenied: 0,
    });
    assert.deepEqual(
      s.owners.map((o) => [o.id, o.bytes / GiB]),
      [
        ['a', 4],
        ['b', 2],
        ['other', 9],
        ['free', 5],
      ],
    );
    const over = splitMemory([owner('a', 30 * GiB)], memory(5, 20), s.crawl);
    assert.equal(over.owners.find((o) => o.id === 'other')!.bytes, 0, 'never negative');
  });

  it('growth is the least-squares slope over the window, null with too little history', () => {
    const points: OwnersPoint[] = Array.from({ length: 31 }, (_, i) => ({
      timestamp: 1000 * i,
      bytes: { a: 100 * MiB + i * 10 * MiB, b: 5 },
    }));
    assert.equal(Math.round(growthRate(points, 'a', 30_000)! / MiB), 10);
    assert.equal(growthRate(points, 'b', 30_000), 0);
    assert.equal(growthRate(points.slice(0, 2), 'a', 30_000), null, 'one second is too short');
    assert.equal(growthRate(points, 'gone', 30_000), null);
  });
});

describe('naming other processes', () => {
  it('by the executable, also where the program rewrote its argv into one string', () => {
    assert.equal(programName(['/usr/bin/node', '/srv/app.js'], 'node'), 'node');
    assert.equal(
      programName(['/usr/lib/chromium/chromium --type=renderer --user-data-dir=/tmp/playwright_profile-x'], 'chromium'),
      'chromium',
    );
    assert.equal(programName(['/opt/My App/app --flag'], 'app'), 'app', 'a space in the path');
    assert.equal(programName([], 'kworker/0:1'), 'kworker/0:1');
    assert.equal(programName(['  '], 'sh'), 'sh');
  });
});

describe('naming Python programs', () => {
  it('by script, module, -c, and the program behind debugpy', () => {
    assert.deepEqual(pythonTarget(['python3', '-u', '/w/train.py', '--lr', '0.1']), {
      name: 'train.py',
      args: ['--lr', '0.1'],
    });
    assert.equal(pythonTarget(['python', '-m', 'pytest', '-x']).name, 'pytest');
    assert.equal(pythonTarget(['python', '-c', 'print(1)']).name, 'python -c');
    assert.equal(pythonTarget(['python', '-X', 'dev', 'a.py']).name, 'a.py');
    assert.equal(
      pythonTarget(['python', '/x/debugpy/launcher', '4567', '--', '/w/app.py', '--port', '1']).name,
      'app.py',
    );
    assert.equal(pythonTarget(['python']).name, 'python');
  });
});

describe('kernel names', () => {
  it("a session's notebook, without the suffix VS Code's Jupyter extension adds on a Jupyter server", () => {
    assert.equal(notebookName('/home/ana/work/analysis.ipynb'), 'analysis.ipynb');
    const uuid = '3f2b8c1e-9d4a-4e7b-8f21-0c5d6e7a8b9c';
    assert.equal(notebookName(`/srv/analysis-jvsc-${uuid}${uuid}.ipynb`), 'analysis.ipynb');
    assert.equal(notebookName(`/srv/sales 2024-jvsc-${uuid}.ipynb`), 'sales 2024.ipynb');
    // Only that suffix: a notebook whose own name has "-jvsc-" in it keeps it.
    assert.equal(notebookName('/srv/notes-jvsc-draft.ipynb'), 'notes-jvsc-draft.ipynb');
  });
});
