/**
 * The dtype quick fix, end to end against real pandas: detect the call, size the file with the
 * footprint engine, build the fix from the advisor's plan, apply the edit to the source, run the
 * edited source in pandas, and compare `memory_usage(deep=True).sum()` with the "with dtypes" figure
 * the hint shows (and the untouched source with the "in pandas" figure).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { planDowncast } from '../../../src/core/footprint/advice';
import { analyzeFile, closeFootprintPool, type PandasModel } from '../../../src/core/footprint';
import {
  analyzeTree,
  applicablePlan,
  applyEdits,
  dtypeEdits,
  getPythonParser,
  hintLabel,
  resolveDataPath,
} from '../../../src/core/hints';
import { pythons, requirePython } from '../../support/python';

let dir: string;
/** pandas 3 (arrow strings) and pandas 2.2 (object strings): the sizes differ, the fix must match both. */
const interpreters = [
  { label: 'pandas 3', path: pythons.test },
  { label: 'pandas 2.2', path: pythons.pandas2 },
];
const models = new Map<string, PandasModel>();

function writeData(): void {
  const regions = ['north', 'south', 'east', 'west', 'central'];
  const rows = ['id,region,age,visits,score,income,signup,active,note'];
  let x = 7;
  for (let i = 0; i < 20_000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const income = x % 9 === 0 ? '' : String(20_000 + (x % 90_000));
    const note = `n${x % 5000}-é`;
    rows.push(
      [
        100_000 + i,
        regions[x % 5],
        18 + (x % 70),
        x % 300,
        ((x % 1000) / 10).toFixed(1),
        income,
        `2023-${String((x % 12) + 1).padStart(2, '0')}-${String((x % 28) + 1).padStart(2, '0')}`,
        x % 2 ? 'true' : 'false',
        note,
      ].join(','),
    );
  }
  writeFileSync(join(dir, 'data.csv'), rows.join('\n') + '\n');
  writeFileSync(join(dir, 'data.tsv'), rows.map((r) => r.replace(/,/g, '\t')).join('\n') + '\n');
}

/** Runs `source` (which must bind `df`) in pandas from the data folder; returns the deep bytes. */
function pandasBytes(python: string, source: string): number {
  const script = `${source}\nprint(int(df.memory_usage(deep=True).sum()))\n`;
  return Number(execFileSync(python, ['-c', script], { cwd: dir, encoding: 'utf8' }).trim().split('\n').pop());
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hints-quickfix-'));
  writeData();
  for (const { path } of interpreters) {
    const [pandas, py, arrow] = execFileSync(
      requirePython(path),
      [
        '-c',
        'import sys, pandas\ntry:\n import pyarrow; a=1\nexcept ImportError: a=0\nprint(pandas.__version__, "%d.%d" % sys.version_info[:2], a)',
      ],
      { encoding: 'utf8' },
    )
      .trim()
      .split(' ');
    models.set(path, { pandas: pandas.split('.').slice(0, 2).join('.'), python: py, pyarrow: arrow === '1' });
  }
});
after(async () => {
  await closeFootprintPool();
  rmSync(dir, { recursive: true, force: true });
});

const sources: Record<string, string> = {
  inline: 'import pandas as pd\ndf = pd.read_csv("data.csv")\n',
  multiline: "import pandas as pd\ndf = pd.read_csv(\n    'data.csv',  # the export\n    sep=',',\n)\n",
  'merges an existing dtype': 'import pandas as pd\ndf = pd.read_csv("data.csv", dtype={"visits": "int16"})\n',
  usecols: 'import pandas as pd\ndf = pd.read_csv("data.csv", usecols=["region", "age", "signup", "note"])\n',
  'read_table alias': 'from pandas import read_table as rt\ndf = rt("data.tsv", nrows=5000)\n',
};

describe('dtype quick fix in real pandas', { concurrency: 1 }, () => {
  for (const { label, path: python } of interpreters)
    for (const [name, source] of Object.entries(sources)) {
      it(`${label}, ${name}: the edited call's memory_usage(deep=True) equals the "with dtypes" figure`, async () => {
        const parser = await getPythonParser();
        const [call] = analyzeTree(parser.parse(source)!).reads;
        const res = resolveDataPath({
          path: call.path!,
          documentPath: join(dir, 'script.py'),
          kind: 'script',
          workspaceFolder: dir,
        });
        assert.ok(res.found, 'the data file resolves');
        const result = await analyzeFile(res.file, { model: models.get(python)!, mode: 'exact', read: call.read });
        const applicable = applicablePlan(call, planDowncast(result));
        assert.ok(applicable.savedBytes > 0, 'the plan saves something on this data');
        const edited = applyEdits(source, dtypeEdits(source, call, applicable));
        assert.notEqual(edited, source);
        assert.equal((edited.match(/dtype=/g) ?? []).length, 1, 'dtype= is never duplicated');
        const before = pandasBytes(python, source);
        const afterBytes = pandasBytes(python, edited);
        console.log(
          `${label}, ${name}: ${hintLabel(result, applicable, call)} | pandas: ${before} -> ${afterBytes} bytes`,
        );
        assert.equal(result.totalBytes, before, 'the "in pandas" figure');
        assert.equal(applicable.withDtypesBytes, afterBytes, `the "with dtypes" figure, after:\n${edited}`);
      });
    }
});
