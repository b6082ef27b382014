import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readRun } from '../../../src/core/tuning';
import { runToEnd, spec, workspace } from './helpers';

const OBJECTIVE = `
import math, sys
import headroom_runtime as hr

def objective(p):
    k = p['kind']
    sys.stderr.write('trial %s starting\\n' % k)
    if k == 'segv':
        import ctypes
        ctypes.string_at(0)
    if k == 'nan':
        return float('nan')
    if k == 'inf':
        return {'score': math.inf}
    return 1.0
`;

test('objective mode: a segfault is reported without internal markers; NaN and infinities are named as such', async () => {
  const dir = workspace({ 'obj.py': OBJECTIVE });
  const file = spec(
    dir,
    'o.tune.yaml',
    'objective: obj:objective\nparams:\n  kind: [ok, segv, nan, inf]\nmetric: score\nresources:\n  workers: 1\n',
  );
  const { summary } = await runToEnd(file);
  const by = new Map(readRun(dir, summary.runId).trials.map((t) => [t.params.kind, t]));
  assert.equal(by.get('ok')?.status, 'done');
  const segv = by.get('segv')!;
  assert.equal(segv.status, 'failed');
  assert.ok(!/headroom-trial-end/.test(segv.error ?? '') && !(segv.error ?? '').includes('\u001e'), segv.error ?? '');
  assert.equal(segv.error, 'killed by SIGSEGV (segmentation fault): trial segv starting');
  // It died before the first sample and sent no reply: the record says "not measured", not 0.
  assert.equal(segv.peakRssBytes, null, 'no peak was measured');
  assert.equal(segv.cpuMs, null, 'no CPU time was measured');
  assert.ok((by.get('ok')?.cpuMs ?? NaN) >= 0, 'a trial that replied has its CPU time');
  assert.equal(by.get('nan')?.error, "objective returned NaN for 'score': it must be a finite number");
  assert.equal(by.get('inf')?.error, "objective returned inf for 'score': it must be a finite number");
});

test('script mode: report() with NaN says NaN, not "without reporting"', async () => {
  const dir = workspace({ 's.py': `import headroom_runtime as hr\nhr.report(acc=float('nan'))\n` });
  const { summary } = await runToEnd(spec(dir, 's.tune.yaml', 'script: s.py\nparams:\n  a: [1]\nmetric: acc\n'));
  const [t] = readRun(dir, summary.runId).trials;
  assert.equal(t.status, 'failed');
  assert.equal(t.error, "reported NaN for 'acc': it must be a finite number");
});
