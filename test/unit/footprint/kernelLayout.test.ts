/**
 * The scan kernel (AssemblyScript, wasm/scanKernel/layout.ts) and the TypeScript that reads what it
 * writes (src/core/footprint/fieldStats.ts, fieldClassify.ts, scanKernel.ts) share a memory layout
 * written down twice, once per language. This compares the two: a slot, kind or problem code changed
 * on one side only fails here, naming it, instead of silently mis-sizing every CSV.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as classify from '../../../src/core/footprint/fieldClassify';
import { G, GK, K, S } from '../../../src/core/footprint/fieldStats';
import * as scanKernel from '../../../src/core/footprint/scanKernel';

const LAYOUT = join(__dirname, '..', '..', '..', 'wasm', 'scanKernel', 'layout.ts');

/** `export const NAME = 12;` lines of the kernel's layout.ts. */
function kernelConstants(): Map<string, number> {
  const text = readFileSync(LAYOUT, 'utf8');
  const found = new Map<string, number>();
  for (const m of text.matchAll(/^export const (\w+)\s*=\s*(-?\d+)\s*;/gm)) found.set(m[1], Number(m[2]));
  // Anything else exported (an expression, another type) would escape the comparison.
  const exported = [...text.matchAll(/^export\s+(?:const|let|var|function)\s+(\w+)/gm)].map((m) => m[1]);
  assert.deepEqual(
    exported.filter((name) => !found.has(name)),
    [],
    'layout.ts exports only `const NAME = integer;`',
  );
  return found;
}

const kernel = kernelConstants();
const group = (keep: (name: string) => boolean) => new Map([...kernel].filter(([name]) => keep(name)));

test('per-block statistics (S, K): every slot the kernel names is the same slot in fieldStats.ts', () => {
  const blockSlots = group((name) => !/^(G_|GK$|KIND_|PROBLEM_)/.test(name) && name !== 'K');
  for (const [name, value] of blockSlots)
    assert.equal(S[name as keyof typeof S], value, `S.${name}: fieldStats.ts vs the kernel's layout.ts`);
  assert.equal(kernel.get('K'), K, 'K (slots per column)');
  // The kernel writes a text width's length into the slot after its count (stAt(col, w + 1)).
  for (const width of ['ASCII', 'LATIN1', 'UCS2', 'UCS4'] as const) {
    const n = `${width}_N` as const;
    const len = `${width}_LEN` as const;
    assert.ok(blockSlots.has(n), `the kernel names ${n}`);
    assert.equal(S[len], S[n] + 1, `S.${len} follows S.${n}`);
  }
  // Every slot fieldStats.ts reads is one the kernel writes: named there, or a width's length.
  const unnamed = Object.keys(S).filter((name) => !blockSlots.has(name) && !/^(LATIN1|UCS2|UCS4)_LEN$/.test(name));
  assert.deepEqual(unnamed, [], 'slots of fieldStats.ts the kernel does not name');
  assert.equal(Math.max(...Object.values(S)) + 1, K, 'K counts every slot');
});

test('whole-range statistics (G, GK): the same slots on both sides', () => {
  const kernelG = group((name) => name.startsWith('G_'));
  assert.deepEqual(
    Object.fromEntries([...kernelG].map(([name, value]) => [name.slice(2), value])),
    { ...G },
    "G of fieldStats.ts vs G_* of the kernel's layout.ts",
  );
  assert.equal(kernel.get('GK'), GK, 'GK (slots per column)');
  assert.equal(Math.max(...Object.values(G)) + 1, GK, 'GK counts every slot');
});

test('field kinds and problem codes: the same numbers on both sides', () => {
  for (const [name, value] of group((name) => name.startsWith('KIND_')))
    assert.equal(classify[name as keyof typeof classify], value, `${name}: fieldClassify.ts vs layout.ts`);
  for (const [name, value] of group((name) => name.startsWith('PROBLEM_') && name !== 'PROBLEM_NONE'))
    assert.equal(scanKernel[name as keyof typeof scanKernel], value, `${name}: scanKernel.ts vs layout.ts`);
  assert.equal(kernel.get('PROBLEM_NONE'), 0, 'PROBLEM_NONE is 0, none of the codes csvScanner.ts reads as a problem');
});
