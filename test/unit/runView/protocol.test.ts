import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import { isDatasetMessage } from '../../../src/messages/dataset';
import { isResourcesMessage } from '../../../src/messages/resources';
import { isRunPanelMessage } from '../../../src/messages/runPanel';

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

test('the dataset panel and Resources view messages are validated with their fields; unknown ones are dropped', () => {
  assert.equal(isDatasetMessage({ type: 'copy', snippet: 'sample' }), true);
  assert.equal(isDatasetMessage({ type: 'copy', snippet: 'rm -rf' }), false);
  assert.equal(isDatasetMessage({ type: 'setWorkers', workers: 4 }), true);
  assert.equal(isDatasetMessage({ type: 'setWorkers', workers: '4' }), false);
  assert.equal(isDatasetMessage({ type: 'toString' }), false, 'a prototype property is no message type');
  assert.equal(isResourcesMessage({ type: 'openSettings' }), true);
  assert.equal(
    isResourcesMessage({ type: 'sample' }),
    false,
    'a host -> webview type is not accepted from the webview',
  );
  assert.equal(isResourcesMessage(null), false);
  // The Memory by owner section's messages travel on the same channel.
  assert.equal(isResourcesMessage({ type: 'stopOwnerRun', runId: '20261206-hold-ab12' }), true);
  assert.equal(isResourcesMessage({ type: 'openOwnerRun', runId: '' }), false);
  assert.equal(isResourcesMessage({ type: 'stopOwnerRun' }), false);
  assert.equal(isResourcesMessage({ type: 'owners', snapshot: {} }), false, 'host -> webview only');
});
