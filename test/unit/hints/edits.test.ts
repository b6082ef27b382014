import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Parser } from 'web-tree-sitter';
import type { DowncastPlan } from '../../../src/core/footprint/advice';
import {
  analyzeTree,
  applicablePlan,
  applyEdits,
  dtypeEdits,
  getPythonParser,
  nJobsEdit,
} from '../../../src/core/hints';

let parser: Parser;
before(async () => {
  parser = await getPythonParser();
});

/** A plan over columns a (int8), b (category), when (dates), c (untouched). */
const plan: DowncastPlan = {
  columns: [
    { name: 'a', dtype: 'int64', bytes: 800, suggestion: null, plannedBytes: 100, plannedDtype: 'int8' },
    { name: 'b', dtype: 'str', bytes: 1000, suggestion: null, plannedBytes: 200, plannedDtype: 'category' },
    { name: 'when', dtype: 'str', bytes: 900, suggestion: null, plannedBytes: 800, plannedDtype: 'datetime64[ns]' },
    { name: 'c', dtype: 'float64', bytes: 800, suggestion: null, plannedBytes: 800, plannedDtype: 'float64' },
  ],
  indexBytes: 132,
  totalBytes: 132 + 800 + 1000 + 900 + 800,
  suggestedTotalBytes: 132 + 100 + 200 + 800 + 800,
  dtype: { a: 'int8', b: 'category' },
  parseDates: ['when'],
  sparse: [],
};

function fix(src: string): { out: string; withDtypes: number } {
  const [call] = analyzeTree(parser.parse(src)!).reads;
  const applicable = applicablePlan(call, plan);
  return { out: applyEdits(src, dtypeEdits(src, call, applicable)), withDtypes: applicable.withDtypesBytes };
}

describe('dtype quick fix', () => {
  it('inserts inline, with the call quote style', () => {
    const { out, withDtypes } = fix('import pandas as pd\ndf = pd.read_csv("t.csv")\n');
    assert.equal(
      out,
      'import pandas as pd\ndf = pd.read_csv("t.csv", dtype={"a": "int8", "b": "category"}, parse_dates=["when"])\n',
    );
    assert.equal(withDtypes, plan.suggestedTotalBytes);
  });

  it('uses single quotes when the path does, and reuses a trailing comma as the separator', () => {
    const { out } = fix("import pandas as pd\npd.read_csv('t.csv',)\n");
    assert.equal(
      out,
      "import pandas as pd\npd.read_csv('t.csv', dtype={'a': 'int8', 'b': 'category'}, parse_dates=['when'])\n",
    );
  });

  it('lays a one-line call out one argument per line when it would pass 88 columns', () => {
    const src =
      'import pandas as pd\ndef load():\n    return pd.read_csv("data/exports/2024/customers.csv", sep=";")\n';
    assert.equal(
      fix(src).out,
      'import pandas as pd\ndef load():\n    return pd.read_csv(\n        "data/exports/2024/customers.csv",\n        sep=";",\n' +
        '        dtype={"a": "int8", "b": "category"},\n        parse_dates=["when"],\n    )\n',
    );
  });

  it('adds one argument per line to a call laid out that way, after a trailing comment', () => {
    const src = 'import pandas as pd\ndf = pd.read_csv(\n    "t.csv",  # the data\n    sep=",",\n)\n';
    assert.equal(
      fix(src).out,
      'import pandas as pd\ndf = pd.read_csv(\n    "t.csv",  # the data\n    sep=",",\n    dtype={"a": "int8", "b": "category"},\n    parse_dates=["when"],\n)\n',
    );
    const noComma = 'import pandas as pd\ndf = pd.read_csv(\n    "t.csv"  # the data\n)\n';
    assert.equal(
      fix(noComma).out,
      'import pandas as pd\ndf = pd.read_csv(\n    "t.csv",  # the data\n    dtype={"a": "int8", "b": "category"},\n    parse_dates=["when"]\n)\n',
    );
  });

  it('merges into an existing dtype dict and parse_dates list, keeping what the user wrote', () => {
    const src = 'import pandas as pd\ndf = pd.read_csv("t.csv", dtype={"a": "int16"}, parse_dates=[])\n';
    const { out, withDtypes } = fix(src);
    assert.equal(
      out,
      'import pandas as pd\ndf = pd.read_csv("t.csv", dtype={"a": "int16", "b": "category"}, parse_dates=["when"])\n',
    );
    // Column a keeps the user's dtype: its planned saving is not counted.
    assert.equal(withDtypes, plan.suggestedTotalBytes + 800 - 100);
    assert.equal((out.match(/dtype=/g) ?? []).length, 1);
  });

  it('merges into a multi-line dict on its own lines', () => {
    const src =
      'import pandas as pd\ndf = pd.read_csv(\n    "t.csv",\n    dtype={\n        "c": "float32",\n    },\n)\n';
    assert.equal(
      fix(src).out,
      'import pandas as pd\ndf = pd.read_csv(\n    "t.csv",\n    dtype={\n        "c": "float32",\n        "a": "int8",\n        "b": "category",\n    },\n    parse_dates=["when"],\n)\n',
    );
  });

  it('never touches a dtype it cannot merge into (a variable), and says what it saves without it', () => {
    const src = 'import pandas as pd\ndf = pd.read_csv("t.csv", dtype=types)\n';
    const { out, withDtypes } = fix(src);
    assert.equal(out, src);
    assert.equal(withDtypes, plan.totalBytes);
  });

  it('appends .astype() to read_parquet', () => {
    const { out } = fix("import pandas as pd\ndf = pd.read_parquet('t.parquet')\n");
    assert.equal(
      out,
      "import pandas as pd\ndf = pd.read_parquet('t.parquet').astype({'a': 'int8', 'b': 'category', 'when': 'datetime64[ns]'})\n",
    );
  });

  it('sets n_jobs in place', () => {
    const src = 'GridSearchCV(m, g, n_jobs = -1)';
    const [call] = analyzeTree(parser.parse(src)!).parallel;
    assert.equal(applyEdits(src, [nJobsEdit(call.nJobs!, 3)]), 'GridSearchCV(m, g, n_jobs = 3)');
  });
});
