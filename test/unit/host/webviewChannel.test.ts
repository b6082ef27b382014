import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { WebviewChannel } from '../../../src/webviewChannel';
import { messageValidator, noFields } from '../../../src/messages/validate';

type Host = { type: 'snapshot'; n: number } | { type: 'tick'; n: number } | { type: 'notice'; text: string };
type View = { type: 'ready' } | { type: 'stop' };

function fakeWebview() {
  let listener: ((m: unknown) => void) | undefined;
  const posted: unknown[] = [];
  const webview = {
    postMessage: (m: unknown) => (posted.push(m), Promise.resolve(true)),
    onDidReceiveMessage: (l: (m: unknown) => void) => ((listener = l), { dispose: () => (listener = undefined) }),
  } as unknown as vscode.Webview;
  return { webview, posted, send: (m: unknown) => listener?.(m) };
}

const tick = () => new Promise((r) => setImmediate(r));

test('a webview channel keeps messages until ready, then sends the kept ones and the replay; invalid input is dropped', async () => {
  const { webview, posted, send } = fakeWebview();
  const warnings: string[] = [];
  const received: View[] = [];
  let state = 1;
  const channel = new WebviewChannel<Host, View>(webview, {
    name: 'Test view',
    log: { warn: (m: string) => warnings.push(m) } as unknown as vscode.LogOutputChannel,
    validate: messageValidator<View>({ ready: noFields, stop: noFields }),
    replay: () => [{ type: 'snapshot', n: state }],
    supersededByReplay: ['tick'],
    receive: (m) => void received.push(m),
  });
  channel.post({ type: 'notice', text: 'a' });
  channel.post({ type: 'notice', text: 'b' });
  channel.post({ type: 'tick', n: 1 });
  assert.deepEqual(posted, [], 'nothing goes to a script that has not said ready');
  send({ type: 'ready' });
  await tick();
  assert.deepEqual(posted, [
    { type: 'notice', text: 'b' },
    { type: 'snapshot', n: 1 },
  ]);
  channel.post({ type: 'tick', n: 2 });
  assert.deepEqual(posted.at(-1), { type: 'tick', n: 2 });
  // hidden, then shown again: the script reloads and gets the state whole
  channel.notReady();
  state = 2;
  channel.post({ type: 'tick', n: 3 });
  send({ type: 'ready' });
  await tick();
  assert.deepEqual(posted.slice(3), [{ type: 'snapshot', n: 2 }]);
  send({ type: 'stop' });
  send({ type: 'rm -rf' });
  send('ready');
  await tick();
  assert.deepEqual(received, [{ type: 'stop' }]);
  assert.equal(warnings.length, 2);
  channel.dispose();
});
