import { test } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { LOAD_WAITS_MS, WebviewChannel } from '../../../src/webviewChannel';
import { messageValidator, noFields } from '../../../src/messages/validate';

type Host = { type: 'snapshot'; n: number } | { type: 'tick'; n: number } | { type: 'notice'; text: string };
type View = { type: 'ready' } | { type: 'stop' };

function fakeWebview() {
  let listener: ((m: unknown) => void) | undefined;
  const posted: unknown[] = [];
  const webview = {
    postMessage: (m: unknown) => (posted.push(m), Promise.resolve(true)),
    html: '',
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

test('a page whose script never says ready is loaded again while it can be seen, then the user is told', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { webview } = fakeWebview();
  const logged: string[] = [];
  const failures: string[] = [];
  let renders = 0;
  let visible = true;
  const channel = new WebviewChannel<Host, View>(webview, {
    name: 'Test view',
    log: {
      warn: (m: string) => logged.push(`warn ${m}`),
      error: (m: string) => logged.push(`error ${m}`),
    } as unknown as vscode.LogOutputChannel,
    validate: messageValidator<View>({ ready: noFields, stop: noFields }),
    replay: () => [],
    receive: () => undefined,
  });
  channel.load({ render: () => `page ${++renders}`, visible: () => visible, failed: (m) => failures.push(m) });
  assert.equal(webview.html, 'page 1');
  t.mock.timers.tick(LOAD_WAITS_MS[0] - 1);
  assert.equal(renders, 1, 'a page gets time to load');
  t.mock.timers.tick(1);
  assert.equal(webview.html, 'page 2', 'a silent page is loaded again');
  assert.match(logged[0], /^warn Test view did not load within 8 s; loading it again$/);
  // Hidden, the page runs no script: nothing to wait for until it is shown again.
  visible = false;
  channel.notReady();
  t.mock.timers.tick(60_000);
  assert.equal(renders, 2);
  visible = true;
  channel.shown();
  t.mock.timers.tick(LOAD_WAITS_MS[1]);
  assert.equal(renders, 3);
  t.mock.timers.tick(LOAD_WAITS_MS[2]);
  assert.equal(renders, 3, 'three tries, then no more');
  assert.deepEqual(failures, ['Test view did not load after 3 tries. Reloading the window may help.']);
  assert.match(logged.at(-1)!, /^error /);
  t.mock.timers.tick(600_000);
  assert.equal(failures.length, 1, 'the user is told once');
  channel.dispose();
});

test('a page silent again after being loaded again is replaced by its owner (a panel), once, then no more tries', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { webview } = fakeWebview();
  const logged: string[] = [];
  let renders = 0;
  let replaced = 0;
  const channel = new WebviewChannel<Host, View>(webview, {
    name: 'Test panel',
    log: { warn: (m: string) => logged.push(m), error: assert.fail } as unknown as vscode.LogOutputChannel,
    validate: messageValidator<View>({ ready: noFields, stop: noFields }),
    replay: () => [],
    receive: () => undefined,
  });
  const page = { render: () => `page ${++renders}`, visible: () => true, failed: assert.fail };
  channel.load({ ...page, replace: () => void replaced++ });
  t.mock.timers.tick(LOAD_WAITS_MS[0]);
  assert.deepEqual([renders, replaced], [2, 0], 'first its HTML is set again');
  t.mock.timers.tick(LOAD_WAITS_MS[1]);
  assert.deepEqual([renders, replaced], [2, 1], 'then the owner puts a new webview in its place');
  assert.equal(logged.at(-1), 'Test panel did not load within 16 s again; opening it afresh');
  t.mock.timers.tick(600_000);
  assert.deepEqual([renders, replaced], [2, 1], 'the replaced page is not watched any more');
  channel.dispose();
});

test('a page that says ready is not loaded again, even when it is slow to be replayed', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { webview, send } = fakeWebview();
  let renders = 0;
  let replayed!: () => void;
  const channel = new WebviewChannel<Host, View>(webview, {
    name: 'Test view',
    log: {} as vscode.LogOutputChannel,
    validate: messageValidator<View>({ ready: noFields, stop: noFields }),
    replay: () => new Promise<Host[]>((resolve) => (replayed = () => resolve([]))),
    receive: () => undefined,
  });
  channel.load({ render: () => `page ${++renders}`, visible: () => true, failed: assert.fail });
  t.mock.timers.tick(LOAD_WAITS_MS[0] - 1);
  send({ type: 'ready' });
  t.mock.timers.tick(LOAD_WAITS_MS[0] * 10);
  assert.equal(renders, 1);
  replayed();
  channel.dispose();
});

test('a page hidden while its replay is built is not taken as ready: messages wait, and the page shown next is watched', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { webview, posted, send } = fakeWebview();
  let renders = 0;
  let visible = true;
  let replayed!: () => void;
  const channel = new WebviewChannel<Host, View>(webview, {
    name: 'Test view',
    log: { warn: () => undefined } as unknown as vscode.LogOutputChannel,
    validate: messageValidator<View>({ ready: noFields, stop: noFields }),
    replay: () => new Promise<Host[]>((resolve) => (replayed = () => resolve([{ type: 'snapshot', n: 1 }]))),
    receive: () => undefined,
  });
  channel.load({ render: () => `page ${++renders}`, visible: () => visible, failed: assert.fail });
  send({ type: 'ready' });
  await tick();
  // The user clicks a button that opens an editor in the panel's place before the replay is built.
  visible = false;
  channel.notReady();
  replayed();
  await tick();
  channel.post({ type: 'tick', n: 5 });
  assert.deepEqual(posted, [], 'nothing is posted to the page that went away');
  visible = true;
  channel.shown();
  t.mock.timers.tick(LOAD_WAITS_MS[0]);
  assert.equal(renders, 2, 'the page shown again is watched: silent, it is loaded again');
  send({ type: 'ready' });
  await tick();
  replayed();
  await tick();
  assert.deepEqual(posted, [
    { type: 'tick', n: 5 },
    { type: 'snapshot', n: 1 },
  ]);
  channel.dispose();
});
