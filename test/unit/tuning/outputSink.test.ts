import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import {
  BoundedLog,
  JsonLines,
  MarkSplitter,
  ResultScanner,
  TRIAL_END_MARK,
} from '../../../src/core/tuning/outputSink';

const dir = mkdtempSync(join(tmpdir(), 'headroom-sink-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a log keeps the first half and the most recent half of its budget, and says what it dropped', () => {
  const path = join(dir, 'big.log');
  const log = new BoundedLog(path, 1000);
  for (let i = 0; i < 100; i++) log.write(Buffer.from(`line ${String(i).padStart(3, '0')} ${'x'.repeat(40)}\n`));
  log.close();
  const text = readFileSync(path, 'utf8');
  assert.ok(statSync(path).size < 1200, `log is ${statSync(path).size} bytes`);
  assert.ok(text.startsWith('line 000 '));
  assert.ok(text.trimEnd().endsWith(`line 099 ${'x'.repeat(40)}`));
  assert.equal(log.droppedBytes, 100 * 50 - 1000);
  assert.match(text, new RegExp(`\\[headroom: ${100 * 50 - 1000} bytes of output dropped`));
});

test('a small log is written as is', () => {
  const path = join(dir, 'small.log');
  const log = new BoundedLog(path, 1000);
  log.write(Buffer.from('hello\n'));
  log.note('[headroom] done');
  log.close();
  assert.equal(readFileSync(path, 'utf8'), 'hello\n[headroom] done\n');
  assert.equal(log.droppedBytes, 0);
});

test('the scanner finds the last JSON object with the metric, across chunk boundaries', () => {
  const s = new ResultScanner('acc');
  s.push(Buffer.from('epoch 1\n{"acc": 0.5, "loss": 2}\n{"other": 1}\n{"ac'));
  s.push(Buffer.from('c": 0.75, "note": "x", "n": "3"}\nbye'));
  s.end();
  assert.deepEqual(s.last, { acc: 0.75, n: 3 });
});

test('the scanner tolerates invalid UTF-8 and skips endless lines without holding them', () => {
  const s = new ResultScanner('acc');
  s.push(Buffer.from([0xff, 0xfe, 0x0a]));
  s.push(Buffer.alloc(200_000, 0x7b)); // one 200 kB line of "{"
  s.push(Buffer.from('\n{"acc": 1}\n'));
  s.push(Buffer.concat([Buffer.from('{"acc": 2, "s": "'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]));
  s.end();
  assert.deepEqual(s.last, { acc: 2 });
});

test('engine pipe messages split on newlines, malformed lines ignored', () => {
  const got: unknown[] = [];
  const lines = new JsonLines();
  lines.push(Buffer.from('{"type":"a"}\nnot json\n{"type":'), (m) => got.push(m));
  lines.push(Buffer.from('"b"}\n'), (m) => got.push(m));
  assert.deepEqual(got, [{ type: 'a' }, { type: 'b' }]);
});

test('the trial-end marker is found and removed even when cut across chunks', () => {
  const splitter = new MarkSplitter();
  const parts: string[] = [];
  const text = Buffer.concat([
    Buffer.from('out of trial 1\n'),
    TRIAL_END_MARK,
    Buffer.from('import noise'),
    TRIAL_END_MARK,
  ]);
  for (let i = 0; i < text.length; i += 5) {
    splitter.push(
      text.subarray(i, i + 5),
      (b) => parts.push(b.toString()),
      () => parts.push('|'),
    );
  }
  assert.equal(parts.join(''), 'out of trial 1\n|import noise|');
  const partial: string[] = [];
  new MarkSplitter().push(
    Buffer.from('\x1e\x1fnot a mark'),
    (b) => partial.push(b.toString()),
    () => partial.push('|'),
  );
  assert.equal(partial.join(''), '\x1e\x1fnot a mark');
});
