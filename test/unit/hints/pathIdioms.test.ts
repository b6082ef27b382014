import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import {
  analyzeTree,
  callSiteKey,
  collectImports,
  getPythonParser,
  missingInlayLabel,
  missingLabel,
  resolveDataPath,
  type ReadCall,
} from '../../../src/core/hints';
import type { AnalyzeOptions } from '../../../src/core/hints';

let parser: Parser;
before(async () => {
  parser = await getPythonParser();
});
const reads = (src: string, options?: AnalyzeOptions): ReadCall[] => analyzeTree(parser.parse(src)!, options).reads;
const where = (r: ReadCall) => [r.path, r.pathAnchor ?? null];
const HEAD = 'import os\nimport pandas as pd\nfrom pathlib import Path\n';

describe('dataset paths built the common ways', () => {
  it('Path(__file__).resolve().parent / "data" / "x.csv", through a module constant used in a function', () => {
    const src = `${HEAD}DATA = Path(__file__).resolve().parent / "data" / "customers.csv"\n\ndef main():\n    df = pd.read_csv(DATA)\n`;
    assert.deepEqual(where(reads(src)[0]), ['data/customers.csv', 'script-dir']);
  });

  it('parents, .parent.parent, joinpath, with_name and with_suffix', () => {
    const src = [
      HEAD,
      'ROOT = Path(__file__).parent.parent',
      'pd.read_csv(ROOT / "data" / "a.csv")',
      'pd.read_csv(Path(__file__).parents[1].joinpath("data", "b.csv"))',
      'pd.read_csv((Path(__file__).parent / "c.txt").with_suffix(".csv"))',
      'pd.read_csv(Path(__file__).with_name("d.csv"))',
    ].join('\n');
    assert.deepEqual(reads(src).map(where), [
      ['../data/a.csv', 'script-dir'],
      ['../data/b.csv', 'script-dir'],
      ['c.csv', 'script-dir'],
      ['d.csv', 'script-dir'],
    ]);
  });

  it('os.path.join(os.path.dirname(__file__), ...) and abspath/realpath around __file__', () => {
    const src = [
      HEAD,
      'HERE = os.path.dirname(os.path.abspath(__file__))',
      'pd.read_csv(os.path.join(HERE, "data", "a.csv"))',
      'pd.read_csv(os.path.join(os.path.dirname(os.path.realpath(__file__)), "..", "b.csv"))',
    ].join('\n');
    assert.deepEqual(reads(src).map(where), [
      ['data/a.csv', 'script-dir'],
      ['../b.csv', 'script-dir'],
    ]);
  });

  it('module-level constants, datapath + "file.csv" and f-strings of constants', () => {
    const src = [
      HEAD,
      'datapath = "data/"',
      'NAME = "train"',
      'EXT = ".csv"',
      'pd.read_csv(datapath + "file.csv")',
      'pd.read_csv(f"{datapath}{NAME}{EXT}")',
      'DATA_DIR = Path("data")',
      'pd.read_csv(DATA_DIR / f"{NAME}.csv")',
      'pd.read_csv(str(DATA_DIR) + "/x.csv")',
      'p = q = "chained.csv"',
      'pd.read_csv(p)',
    ].join('\n');
    assert.deepEqual(reads(src).map(where), [
      ['data/file.csv', null],
      ['data/train.csv', null],
      ['data/train.csv', null],
      ['data/x.csv', null],
      ['chained.csv', null],
    ]);
  });

  it('Path.cwd() and os.getcwd() are relative to the working directory', () => {
    const src = `${HEAD}pd.read_csv(Path.cwd() / "a.csv")\npd.read_csv(os.path.join(os.getcwd(), "b.csv"))\n`;
    assert.deepEqual(reads(src).map(where), [
      ['./a.csv', null],
      ['./b.csv', null],
    ]);
  });

  it('the value where the call runs: the last assignment before it in its function, else the module one', () => {
    const src = [
      HEAD,
      'path = "module.csv"',
      'def f():',
      '    path = "local.csv"',
      '    return pd.read_csv(path)',
      'def g():',
      '    return pd.read_csv(path)',
      'path2 = "first.csv"',
      'pd.read_csv(path2)',
      'path2 = "second.csv"',
      'class Config:',
      '    path = "class_attribute.csv"',
      'pd.read_csv(path)',
    ].join('\n');
    assert.deepEqual(
      reads(src).map((r) => r.path),
      ['local.csv', 'module.csv', 'first.csv', 'module.csv'],
    );
  });

  it('stays unknown, with the reason, where the value is only known at run time', () => {
    const src = [
      HEAD,
      'import sys',
      'def load(path):',
      '    return pd.read_csv(path)',
      'pd.read_csv(sys.argv[1])',
      'for name in ["a.csv", "b.csv"]:',
      '    pd.read_csv(name)',
      'if os.environ.get("BIG"):',
      '    src = "big.csv"',
      'else:',
      '    src = "small.csv"',
      'pd.read_csv(src)',
      'acc = "data/"',
      'acc += "x.csv"',
      'pd.read_csv(acc)',
      'pd.read_csv(f"data/{undefined_name}.csv")',
    ].join('\n');
    const found = reads(src);
    assert.deepEqual(
      found.map((r) => r.path),
      [null, null, null, null, null, null],
    );
    assert.match(found[0].pathProblem!, /`path` is a parameter of `load`/);
    assert.match(found[1].pathProblem!, /sys\.argv\[1\]. is not known before the code runs/);
    assert.match(found[2].pathProblem!, /`name` is set by `for name in/);
    assert.match(found[3].pathProblem!, /`src` is assigned in more than one branch/);
    assert.match(found[4].pathProblem!, /`acc` is set by `acc \+= "x.csv"`/);
    assert.match(found[5].pathProblem!, /`undefined_name` is not assigned in this file/);
  });

  it('notebook cells: a constant set in an earlier cell, and one set there to something unknown', () => {
    const first = parser.parse(`${HEAD}DATA_DIR = Path("data")\nURL_BASE = input()\n`)!;
    const earlier = analyzeTree(first, { exportConstants: true });
    const imports = collectImports(first.rootNode);
    const later = reads('df = pd.read_csv(DATA_DIR / "train.csv")\nx = pd.read_csv(URL_BASE + "x.csv")\n', {
      imports,
      constants: earlier.constants,
    });
    assert.deepEqual(later.map(where), [
      ['data/train.csv', null],
      [null, null],
    ]);
    assert.match(later[1].pathProblem!, /set in an earlier cell/);
    // Without the earlier cell, the name is unknown.
    assert.equal(reads('df = pd.read_csv(DATA_DIR / "train.csv")', { imports })[0].path, null);
  });

  it('a URL is said to be remote, whole or only its start known; nothing is guessed', () => {
    const src = [
      HEAD,
      'BASE = "https://raw.githubusercontent.com/org/repo/main/"',
      'pd.read_csv(BASE + "titanic.csv")',
      'pd.read_csv(f"https://example.org/data/{name}.csv")',
      'pd.read_csv("s3://bucket/key.csv")',
    ].join('\n');
    const found = reads(src);
    assert.deepEqual(
      found.map((r) => [r.path, r.remote]),
      [
        ['https://raw.githubusercontent.com/org/repo/main/titanic.csv', true],
        [null, true],
        ['s3://bucket/key.csv', true],
      ],
    );
    assert.match(found[1].pathProblem!, /remote URL \(https:\/\/example\.org\//);
    for (const r of found) assert.match(missingLabel(r, undefined), /^remote file \(URL\): not sized/);
  });
});

describe('resolving a path built from __file__', () => {
  const root = mkdtempSync(join(tmpdir(), 'headroom-anchor-'));
  mkdirSync(join(root, 'src', 'data'), { recursive: true });
  mkdirSync(join(root, 'data'), { recursive: true });
  writeFileSync(join(root, 'src', 'data', 'x.csv'), 'a\n1\n');
  writeFileSync(join(root, 'data', 'y.csv'), 'a\n1\n');
  after(() => rmSync(root, { recursive: true, force: true }));
  const doc = join(root, 'src', 'train.py');

  it("looks only in the script's folder, not the workspace", () => {
    const x = resolveDataPath({
      path: 'data/x.csv',
      anchor: 'script-dir',
      documentPath: doc,
      kind: 'script',
      workspaceFolder: root,
    });
    assert.deepEqual(x.found && [x.file, x.base], [join(root, 'src', 'data', 'x.csv'), 'file']);
    const y = resolveDataPath({
      path: 'data/y.csv',
      anchor: 'script-dir',
      documentPath: doc,
      kind: 'script',
      workspaceFolder: root,
    });
    assert.equal(y.found, false);
    const up = resolveDataPath({
      path: '../data/y.csv',
      anchor: 'script-dir',
      documentPath: doc,
      kind: 'script',
      workspaceFolder: root,
    });
    assert.deepEqual(up.found && up.file, join(root, 'data', 'y.csv'));
  });
});

describe('call site keys for a picked data file', () => {
  it('stay the same when lines are added above, and tell apart two reads of the same expression', () => {
    const src = `${HEAD}df = pd.read_csv(path)\nother = pd.read_csv( path )\nx = pd.read_csv(args.data)\n`;
    const keysOf = (text: string) => {
      const found = reads(text);
      return found.map((r) => callSiteKey(text, found, r));
    };
    const keys = keysOf(src);
    assert.deepEqual(keys, ['read_csv(path)#0', 'read_csv(path)#1', 'read_csv(args.data)#0']);
    assert.deepEqual(keysOf(`# a comment\nimport numpy as np\n${src}`), keys);
  });
});

describe('the inlay label of a read Headroom cannot size', () => {
  it('fits the inlay length limit with room for "pick file…"; the full reason stays in the label and hover', () => {
    const [unknown, remote, short] = reads(
      `${HEAD}import sys\npd.read_csv(sys.argv[1])\npd.read_csv(f"https://example.org/{n}.csv")\npd.read_csv("a.csv")\n`,
    );
    assert.match(missingLabel(unknown, undefined), /sys\.argv\[1\]. is not known before the code runs/);
    assert.equal(missingInlayLabel(unknown, undefined), 'size unknown (hover: why)');
    assert.equal(missingInlayLabel(remote, undefined), 'remote file: not sized');
    const notFound = { found: false as const, tried: [], reason: 'a.csv was not found' };
    assert.equal(missingInlayLabel(short, notFound), 'a.csv: not found');
    assert.equal(missingInlayLabel(unknown, undefined, 0), missingLabel(unknown, undefined));
  });
});
