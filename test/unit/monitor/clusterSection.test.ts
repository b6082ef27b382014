import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryText } from '../../../webview/resources/clusterText';

const MiB = 1024 ** 2;
const node = (memoryFree: number, trialBytes: number) => ({
  nodeId: 'a',
  name: '127.0.0.1/abcdef',
  alive: true,
  cpuTotal: 1,
  cpuFree: 0,
  memoryTotal: 512 * MiB,
  memoryFree,
  trials: ['t0000'],
  trialBytes,
});

test('the Cluster section says when Ray has reserved nothing (no forecast yet: no memory asked for)', () => {
  assert.equal(memoryText(node(512 * MiB, 14 * MiB)), '14.0 MiB used · none of 512 MiB reserved');
  assert.equal(memoryText(node(256 * MiB, 14 * MiB)), '14.0 MiB used · 256 MiB of 512 MiB reserved');
});
