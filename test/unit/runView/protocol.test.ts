import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isRunPanelMessage } from '../../../src/protocol';

describe('run panel messages', () => {
  it('accepts the known messages and drops anything else', () => {
    for (const type of ['ready', 'stop', 'resume', 'copyBestParams', 'openSpec'])
      assert.ok(isRunPanelMessage({ type }), type);
    assert.ok(isRunPanelMessage({ type: 'openLog' }));
    assert.ok(isRunPanelMessage({ type: 'openLog', trialId: 'r1-t0003' }));
    assert.ok(!isRunPanelMessage({ type: 'openLog', trialId: '../../etc/passwd' }), 'a trial id is not a path');
    assert.ok(!isRunPanelMessage({ type: 'openLog', trialId: 42 }));
    assert.ok(isRunPanelMessage({ type: 'stopTrial', trialId: 't0003' }));
    assert.ok(!isRunPanelMessage({ type: 'stopTrial' }), 'stopping needs the trial');
    assert.ok(!isRunPanelMessage({ type: 'stopTrial', trialId: '../x' }));
    assert.ok(!isRunPanelMessage({ type: 'runCommand', command: 'rm -rf /' }));
    assert.ok(!isRunPanelMessage(null));
    assert.ok(!isRunPanelMessage('stop'));
    assert.ok(!isRunPanelMessage({ type: 7 }));
  });
});
