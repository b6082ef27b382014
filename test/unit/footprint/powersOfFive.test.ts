import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

const root = join(__dirname, '..', '..', '..');
type Generator = { tableSource(): string; powerOfFive128(q: number): bigint; QMIN: number; QMAX: number };
const load = async () =>
  (await import(pathToFileURL(join(root, 'scripts', 'gen-powers-of-five.mjs')).href)) as Generator;
const words = (source: string) => [...source.matchAll(/0x[0-9a-f]+/g)].map((m) => BigInt(m[0]));

test("the scan kernel's powers of five are the generator's (the file is not edited by hand)", async () => {
  const gen = await load();
  const committed = readFileSync(join(root, 'wasm', 'scanKernel', 'powersOfFive.ts'), 'utf8');
  assert.deepEqual(words(committed), words(gen.tableSource()));
  assert.equal(words(committed).length, 2 * (gen.QMAX - gen.QMIN + 1));
});

test('the powers of five are 128-bit with the top bit set: 5^q truncated, or 2^b / 5^-q rounded up', async () => {
  const { powerOfFive128 } = await load();
  const hex = (q: number) => powerOfFive128(q).toString(16);
  assert.equal(hex(0), '8' + '0'.repeat(31));
  assert.equal(hex(1), 'a' + '0'.repeat(31));
  assert.equal(hex(-1), 'c'.repeat(31) + 'd');
  // the first entry of the published table (q = -342), computed the same way
  assert.equal(hex(-342), 'eef453d6923bd65a113faa2906a13b3f');
  for (let q = -128; q <= 127; q++) {
    const p = powerOfFive128(q);
    assert.ok(p >> 127n === 1n && p >> 128n === 0n, `q = ${q}`);
  }
});
