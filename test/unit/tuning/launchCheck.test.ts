import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LaunchCheck, launchCheckMessage } from '../../../src/core/tuning/launchCheck';
import type { TrialRecord } from '../../../src/core/tuning/runFiles';

const rec = (status: TrialRecord['status'], error: string | null = null) => ({ status, error }) as TrialRecord;

test('two identical failures before any success stop the run with that one error', () => {
  const check = new LaunchCheck(false);
  assert.equal(check.holdsOthers(0), true);
  assert.deepEqual(check.observe(rec('failed', "finished without reporting 'acc'")), { stop: false });
  assert.equal(check.holdsOthers(0), true, 'after one failure the next trial runs alone too');
  const verdict = check.observe(rec('failed', "finished  without reporting 'acc'\n"));
  assert.deepEqual(verdict, { stop: true, error: "finished  without reporting 'acc'\n", failures: 2 });
  assert.equal(
    launchCheckMessage({ error: 'boom', failures: 2 }, 'logs/t0001.log'),
    'stopped after the first 2 trials all failed the same way (see logs/t0001.log): boom',
  );
});

test('a success, a different failure, a kill or a timeout end the check; cancels do not count', () => {
  for (const second of [rec('done'), rec('failed', 'other'), rec('killed', 'memory'), rec('timeout', 't')]) {
    const check = new LaunchCheck(false);
    check.observe(rec('failed', 'same'));
    check.observe(second);
    assert.equal(check.holdsOthers(0), false, second.status);
    assert.deepEqual(check.observe(rec('failed', 'same')), { stop: false }, 'later failures never stop the run');
  }
  const cancelled = new LaunchCheck(false);
  cancelled.observe(rec('cancelled'));
  assert.equal(cancelled.active, true);
});

test('a resumed run with a success needs no check; a long first trial releases the others', () => {
  assert.equal(new LaunchCheck(true).holdsOthers(0), false);
  const check = new LaunchCheck(false, 2, 1000);
  check.started(100);
  assert.equal(check.holdsOthers(1000), true);
  assert.equal(check.holdsOthers(1200), false, 'past aloneMs the others start');
  assert.equal(check.active, true, 'but identical first failures still stop the run');
});
