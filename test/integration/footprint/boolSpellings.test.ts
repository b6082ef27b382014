// Every spelling pandas' C parser reads as bool (true/false in any case, quoted or not, no spaces
// around) and none that it does not (spaces, T/F, yes/no, 1/0, on/off), alone and with NA mixed in
// (then object: Python bools and NaN), under pandas 1.5, 2.2 and 3.0 (measured: the three agree).
// The nullable `boolean` suggestion appears exactly where read_csv(dtype='boolean') accepts the
// column, and its bytes are what pandas then reports.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { analyzeFile, closeFootprintPool, planDowncast } from '../../../src/core/footprint';
import { pythons, requirePython } from '../../support/python';
import { truthModels } from './pandasTruth';

const SCRIPT = String.raw`
import sys, json, warnings
import pandas as pd
if len(sys.argv) > 1 and sys.argv[1] == 'python-strings':
    pd.set_option('mode.string_storage', 'python')
warnings.simplefilter('ignore')
out = []
for path in json.load(sys.stdin):
    df = pd.read_csv(path)
    mu = df.memory_usage(deep=True, index=False)
    if 'a' not in df.columns:
        out.append({'columns': [f'{c}:{df[c].dtype}:{int(mu[c])}' for c in df.columns]})
        continue
    try:
        b = pd.read_csv(path, dtype={'a': 'boolean'})['a']
        boolean = int(b.memory_usage(deep=True, index=False))
    except (ValueError, TypeError):
        boolean = None
    out.append({'a': f"{df['a'].dtype}:{int(mu['a'])}", 'kinds': sorted({type(v).__name__ for v in df['a']}), 'boolean': boolean})
json.dump(out, sys.stdout)
`;

/** One column `a` per file: each spelling beside its opposite, then with NA spellings mixed in. */
const SPELLINGS = [
  'True',
  'TRUE',
  'true',
  'tRuE',
  'TrUe',
  'False',
  'FALSE',
  'false',
  'fAlSe',
  '"True"',
  '"false"',
  ' True',
  'True ',
  '" true"',
  '\tfalse',
  'T',
  'F',
  't',
  'f',
  'yes',
  'No',
  '1',
  '0',
  'on',
  'off',
  'truee',
  'Y',
];

function cases(): Record<string, string> {
  const out: Record<string, string> = {};
  SPELLINGS.forEach((s, i) => {
    const opposite = /ru/i.test(s) ? 'false' : 'True';
    out[`s${i}`] = `a,b\n${s},1\n${opposite},2\n${s},3\n`;
    out[`s${i}na`] = `a,b\n${s},1\n,2\n${opposite},3\nNA,4\n`;
  });
  // several spellings in one column, with and without NA, and a column of NA and odd spellings only
  out.mixed = 'a,b\nTrue,1\nTRUE,2\ntrue,3\nFalse,4\nFALSE,5\nfalse,6\n';
  out.mixedNA = 'a,b\nTrue,1\nTRUE,2\nnull,3\nfalse,4\n"",5\n';
  out.oddNA = 'a,b\ntRuE,1\n,2\nFALSE,3\n';
  return out;
}

const BLOCK_KINDS: Record<string, (i: number) => string> = {
  bool: (i) => ['True', 'false'][i % 2],
  int: (i) => String(i % 5),
  float: (i) => String(i * 0.5),
  objbool: (i) => ['TRUE', '', 'False'][i % 3],
  uint: () => '18446744073709551615',
  na: () => '',
};
const MERGES = [
  ['bool', 'int'],
  ['int', 'bool'],
  ['bool', 'float'],
  ['float', 'bool'],
  ['bool', 'objbool'],
  ['objbool', 'bool'],
  ['int', 'objbool'],
  ['objbool', 'float'],
  ['uint', 'bool'],
  ['na', 'bool'],
  ['bool', 'na'],
  ['objbool', 'int'],
  ['objbool', 'na'],
  ['na', 'objbool'],
  ['bool', 'uint'],
  ['float', 'objbool'],
];

/**
 * 16 columns (low_memory blocks of 32,768 rows), each a bool block meeting another kind at the first
 * block boundary: pandas 1.5 makes bool+number numeric, 2.2 an object column of Python numbers, 3.0 of bools.
 */
function blockMerges(): string {
  const lines = [MERGES.map(([a, b]) => `${a}_${b}`).join(',')];
  for (let i = 0; i < 70_000; i++) lines.push(MERGES.map(([a, b]) => BLOCK_KINDS[i < 32_768 ? a : b](i)).join(','));
  return lines.join('\n') + '\n';
}

const dir = mkdtempSync(join(tmpdir(), 'headroom-bools-'));
const files: { name: string; path: string; text: string }[] = [];
const truth = new Map<string, { a: string; kinds: string[]; boolean: number | null; columns?: string[] }[]>();
let merges = '';

before(() => {
  for (const [name, text] of Object.entries(cases())) {
    const path = join(dir, `${name}.csv`);
    writeFileSync(path, text);
    files.push({ name, path, text });
  }
  merges = join(dir, 'blockMerges.csv');
  writeFileSync(merges, blockMerges());
  for (const m of truthModels) {
    const run = spawnSync(requirePython(m.python), ['-c', SCRIPT, ...m.args], {
      input: JSON.stringify([...files.map((f) => f.path), merges]),
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`pandas failed: ${run.stderr}`);
    truth.set(m.label, JSON.parse(run.stdout) as never);
  }
});
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

describe('bool spellings, per pandas version', () => {
  for (const m of truthModels.filter((t) => t.args.length === 0)) {
    it(`dtype, bytes and the boolean suggestion equal pandas ${m.label}`, async () => {
      const failures: string[] = [];
      const want = truth.get(m.label)!;
      for (let i = 0; i < files.length; i++) {
        const got = await analyzeFile(files[i].path, { model: m.model, mode: 'exact', workers: 1 });
        const col = got.columns[0];
        const plan = planDowncast(got).columns[0];
        const mine = `${col.dtype}:${col.bytes}`;
        const label = `${files[i].name} ${JSON.stringify(files[i].text)}`;
        if (mine !== want[i].a) failures.push(`${label}: engine ${mine}, pandas ${want[i].a}`);
        const isBool = want[i].kinds.every((k) => k === 'bool' || k === 'bool_' || k === 'float');
        if ((col.valueKind === 'bool') !== (isBool && want[i].kinds.some((k) => k.startsWith('bool'))))
          failures.push(`${label}: engine valueKind ${col.valueKind}, pandas holds ${want[i].kinds.join('/')}`);
        const suggested = plan.suggestion?.dtype === 'boolean' ? plan.suggestion.bytes : null;
        // suggested only where pandas accepts it, and then exactly its bytes; offered wherever it saves on an object column
        if (suggested !== null && suggested !== want[i].boolean)
          failures.push(`${label}: suggests boolean at ${suggested} bytes, pandas ${String(want[i].boolean)}`);
        const worthIt = want[i].boolean !== null && want[i].a.startsWith('object') && isBool;
        if (worthIt && suggested === null) failures.push(`${label}: pandas accepts boolean, no suggestion`);
      }
      assert.deepEqual(failures, []);
    });
  }

  for (const m of truthModels) {
    it(`bool blocks merged with other kinds across low_memory blocks equal ${m.label}`, async () => {
      const got = await analyzeFile(merges, { model: m.model, mode: 'exact', workers: 1 });
      const want = truth.get(m.label)![files.length].columns;
      assert.deepEqual(
        got.columns.map((c) => `${c.name}:${c.dtype}:${c.bytes}`),
        want,
      );
    });
  }

  it('quick mode, which reads a sample, suggests no boolean: an odd spelling may hide in what it skipped', async () => {
    // 600,000 records of 16 bytes (~9.6 MB); one tRuE between two of quick mode's pieces (a 512 KiB head,
    // then 32 pieces of 128 KiB evenly spread) makes read_csv(dtype='boolean') fail
    const rowsCount = 600_000;
    const dataBytes = 16 * rowsCount;
    const span = dataBytes - (512 << 10) - (128 << 10);
    const gap = (512 << 10) + Math.floor((span * 10) / 32) + (128 << 10) + 16 * 1024;
    const odd = Math.floor(gap / 16);
    const lines = ['a,b'];
    for (let i = 0; i < rowsCount; i++) {
      const v = i === odd ? 'tRuE' : ['True', 'False', ''][i % 3];
      lines.push(`${v},${String(i).padStart(14 - v.length, '0')}`);
    }
    const path = join(dir, 'oddInTheMiddle.csv');
    writeFileSync(path, lines.join('\n') + '\n');
    const model = truthModels[0].model;
    const quick = await analyzeFile(path, { model, mode: 'quick' });
    assert.equal(quick.mode, 'quick');
    assert.deepEqual(quick.columns[0].oddBoolSpellings, [], 'the sample did not see it');
    assert.equal(planDowncast(quick).columns[0].suggestion, null);
    const exact = await analyzeFile(path, { model, mode: 'exact', workers: 1 });
    assert.deepEqual(exact.columns[0].oddBoolSpellings, ['tRuE']);
    assert.equal(planDowncast(exact).columns[0].suggestion, null);
    const run = spawnSync(
      requirePython(pythons.test),
      ['-c', `import pandas as pd\npd.read_csv(${JSON.stringify(path)}, dtype={'a': 'boolean'})`],
      {
        encoding: 'utf8',
      },
    );
    assert.match(run.stderr, /ValueError/, 'pandas rejects the column as boolean');
  });
});
