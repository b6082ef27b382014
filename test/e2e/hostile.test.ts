// Hostile input through the VS Code faces (issue 17): the inline hints next to pd.read_csv on files
// pandas reads in its own way (NUL bytes, 1e400, a record far longer than quick mode's sample) or
// cannot read (UTF-16, 0-byte Parquet, truncated gzip), the dataset panel on the latter, and the run panel of an objective whose
// trials return NaN or segfault, each show what `headroom footprint --json` and `headroom tune` say
// (the reason word for word, and no peak where none was measured).
// Screenshots: test/e2e/artifacts/hostile-*.png.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { formatBytes } from '../../src/core/format';
import type { TrialRecord } from '../../src/core/tuning/runFiles';
import { pythons, repoRoot, requirePython } from '../support/python';
import {
  analyzeFromPicker,
  headroomLog,
  openFile,
  openWorkbench,
  runCommand,
  runPanelFrame,
  screenshot,
  type Workbench,
} from './harness/workbench';

const python = requirePython(pythons.test);
const cli = join(repoRoot, 'dist', 'cli.js');
const execFileAsync = promisify(execFile);
let source: string;
let bench: Workbench;
let page: Page;

/** An objective whose trials segfault, return NaN or read the spec's 0-byte Parquet `data:`; its spec. */
const OBJECTIVE = `import sys

def objective(p):
    k = p['kind']
    sys.stderr.write('trial %s starting\\n' % k)
    if k == 'segv':
        import ctypes
        ctypes.string_at(0)
    if k == 'nan':
        return float('nan')
    if k == 'parquet':
        import pandas as pd
        pd.read_parquet('empty.parquet')
    return 1.0
`;
const SPEC =
  'objective: obj:objective\ndata: empty.parquet\nparams:\n  kind: [ok, segv, nan, parquet]\nmetric: score\ncache: false\nresources:\n  workers: 1\n';

/** The reads of hostile.py: each file, and whether pandas reads it (then its size is shown). */
const READS: { name: string; fn: string; reads: boolean }[] = [
  { name: 'nul_fields.csv', fn: 'read_csv', reads: true },
  { name: 'huge_floats.csv', fn: 'read_csv', reads: true },
  { name: 'long_record.csv', fn: 'read_csv', reads: true },
  { name: 'utf16.csv', fn: 'read_csv', reads: false },
  { name: 'empty.parquet', fn: 'read_parquet', reads: false },
  { name: 'cut.csv.gz', fn: 'read_csv', reads: false },
];

function writeData(dir: string): void {
  const data = join(dir, 'data');
  mkdirSync(data);
  const put = (name: string, content: string | Buffer) => writeFileSync(join(data, name), content);
  // pandas cuts a field at a NUL byte; a float beyond float64's range is inf in pandas 3.
  put(
    'nul_fields.csv',
    'name,score\n' +
      Array.from({ length: 400 }, (_, i) => `${i % 3 ? 'ab\0cd' : `n${i}\0`},${i}\0${i % 7}`).join('\n') +
      '\n',
  );
  put(
    'huge_floats.csv',
    'x,y\n' +
      Array.from({ length: 400 }, (_, i) => `${i === 200 ? '1e400' : (i / 7).toFixed(4)},${i}`).join('\n') +
      '\n',
  );
  // 5.8 MB, more than quick mode reads (a head and 32 pieces): a 2 MB field in the middle covers
  // whole sample pieces, so the sample cannot bound the rows (the 70 MB-field case, scaled down).
  const rows = ['id,text,x'];
  for (let i = 0; i < 200_000; i++)
    rows.push(`${i},${i === 100_000 ? 'z'.repeat(2_000_000) : `w${(i * 7919) % 1_000_003}`},${i % 97}.5`);
  put('long_record.csv', rows.join('\n') + '\n');
  put('utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,x\n2,y\n', 'utf16le')]));
  put('empty.parquet', '');
  const gz = gzipSync('a,b\n' + Array.from({ length: 20_000 }, (_, i) => `${i},${i * 2}`).join('\n') + '\n');
  put('cut.csv.gz', gz.subarray(0, gz.length >> 1));
  writeFileSync(
    join(dir, 'hostile.py'),
    ['import pandas as pd', '', ...READS.map((r, i) => `d${i} = pd.${r.fn}("data/${r.name}")`), ''].join('\n'),
  );
}

interface CliFootprint {
  file: string;
  totalBytes?: number;
  rows?: number;
  columns?: unknown[];
  warnings?: string[];
  error?: { message: string; hint: string | null };
}

/** What `headroom footprint FILES --json` says, run as a user would from the workspace (one run for all). */
async function footprints(files: string[], quick = false): Promise<CliFootprint[]> {
  const args = [cli, 'footprint', ...files, '--json', '--python', python, ...(quick ? ['--quick'] : [])];
  const { stdout } = await execFileAsync(process.execPath, args, { cwd: bench.profile.workspaceDir }).catch(
    // Exit 1 when some file cannot be read: its JSON is still on stdout.
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  const parsed = JSON.parse(stdout) as CliFootprint | CliFootprint[];
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** pandas' own `memory_usage(deep=True).sum()` after a default read_csv of each file, in one process. */
async function pandasTotals(files: string[]): Promise<number[]> {
  const code = `import sys, pandas as pd\nfor f in sys.argv[1:]: print(int(pd.read_csv(f).memory_usage(deep=True).sum()))`;
  const { stdout } = await execFileAsync(python, ['-c', code, ...files], { cwd: bench.profile.workspaceDir });
  return stdout.trim().split('\n').map(Number);
}

const shot = (name: string) => screenshot(page, `hostile-${name}`);

/** The visible text of the editor, inlay hints included. */
async function editorText(): Promise<string> {
  return (await page.locator('.monaco-workbench .view-line').allTextContents()).join('\n').replace(/\u00a0/g, ' ');
}

async function until(what: string, probe: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      await shot('timeout');
      throw new Error(`timed out waiting for ${what}`);
    }
    await page.waitForTimeout(500);
  }
}

/** The hover of line `line` of hostile.py (keyboard: cursor inside the call, Ctrl+K Ctrl+I). */
async function hoverOf(line: string, screenshotName?: string): Promise<string> {
  await page.locator('.editor-instance .view-line', { hasText: line }).first().click();
  await page.keyboard.press('End');
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const hover = page.locator('.monaco-hover', { hasText: 'Headroom:' });
  await hover.first().waitFor({ timeout: 15_000 });
  const text = (await hover.first().innerText()).replace(/\u00a0/g, ' ');
  if (screenshotName) {
    await page.waitForTimeout(300); // the hover's fade-in
    await shot(screenshotName);
  }
  await page.keyboard.press('Escape');
  return text;
}

before(async () => {
  source = mkdtempSync(join(tmpdir(), 'hostile-e2e-src-'));
  writeData(source);
  writeFileSync(join(source, 'obj.py'), OBJECTIVE);
  writeFileSync(join(source, 'faults.tune.yaml'), SPEC);
  writeFileSync(join(source, 'empty.parquet'), '');
  bench = await openWorkbench({
    workspace: source,
    settings: {
      'headroom.python.path': python,
      'editor.inlayHints.enabled': 'on',
      'workbench.editor.enablePreview': false,
    },
  });
  page = bench.page;
});

after(async () => {
  await bench?.dispose();
  if (source) rmSync(source, { recursive: true, force: true });
});

test('hints on hostile files: the size pandas and the CLI give, or the CLI’s own message', async () => {
  // The CLI and pandas work on the files while VS Code sizes them for the hints.
  const files = READS.map((r) => `data/${r.name}`);
  const sizedByPandas = READS.filter((r) => r.reads).map((r) => `data/${r.name}`);
  const cliRuns = Promise.all([
    footprints(files),
    footprints(['data/long_record.csv'], true),
    pandasTotals(sizedByPandas),
  ]);
  cliRuns.catch(() => undefined); // awaited below; until then a failure must not go unhandled
  await openFile(page, 'hostile.py');
  // Every read settled: a size or a message, none still "sizing…".
  await until('every hint to settle', async () => {
    const text = await editorText();
    return !text.includes('sizing ') && READS.every((_, i) => new RegExp(`d${i} = .*\\)\\s*\\S`).test(text));
  });
  await shot('hints');
  const text = await editorText();
  const [cliExact, [cliQuick], pandasSays] = await cliRuns;
  const hovers: Record<string, string> = {};
  for (const [i, r] of READS.entries()) {
    const line = `d${i} = pd.${r.fn}("data/${r.name}")`;
    const cliSays = cliExact[i];
    assert.equal(cliSays.file, `data/${r.name}`);
    const hover = await hoverOf(line, `hover-${r.name.replace(/\W+/g, '-')}`);
    hovers[r.name] = hover;
    const inline = text.split('\n').find((l) => l.startsWith(`d${i} = `)) ?? '';
    if (r.reads) {
      const pandas = pandasSays[sizedByPandas.indexOf(`data/${r.name}`)];
      assert.equal(cliSays.totalBytes, pandas, `${r.name}: the CLI gives pandas' own total`);
      assert.match(
        hover,
        new RegExp(`${cliSays.rows!.toLocaleString('en-US')} rows × ${cliSays.columns!.length} columns`),
        r.name,
      );
      assert.match(hover, new RegExp(`\\(${pandas.toLocaleString('en-US')} bytes\\)`), `${r.name}: the hover's total`);
      // The inline label: the same total, stated without a ± (the figure is exact).
      assert.match(
        inline,
        new RegExp(`\\)\\s*~ ${formatBytes(pandas).replace('.', '\\.')}( |$)`),
        `${r.name}: ${inline}`,
      );
      assert.doesNotMatch(inline, /±/, `${r.name}: ${inline}`);
    } else {
      assert.ok(cliSays.error, `${r.name}: the CLI refuses it`);
      const message = `${cliSays.error.message}${cliSays.error.hint ? ` (${cliSays.error.hint})` : ''}`;
      // The CLI, run beside the script, names the file as the call does: so does the hover, word for word.
      const lines = hover.split('\n').map((l) => l.trim());
      assert.ok(
        lines.includes(message),
        `${r.name}: the hover says what the CLI says\nhover: ${hover}\ncli:   ${message}`,
      );
      // Inline (cut by VS Code at 43 characters): the file once, then the reason.
      const shown = inline.slice(line.length).trim().replace(/…$/, '');
      const label = message.startsWith(`data/${r.name}`) ? message : `data/${r.name}: ${message}`;
      assert.ok(
        shown.length >= 30 && label.startsWith(shown),
        `${r.name}: inline "${shown}" is the start of "${label}"`,
      );
    }
  }
  // Quick mode (the hints' first pass) says why it scanned everything, as `--quick` does.
  const [why] = cliQuick.warnings ?? [];
  assert.match(why ?? '', /^Quick mode scanned the whole file exactly: it holds a record of more than/);
  assert.ok(hovers['long_record.csv'].includes(`⚠ ${why}`), 'the hover carries quick mode’s reason');
  // The messages name the fault: UTF-16 with the encoding to use, Arrow's refusal, a cut gzip stream.
  assert.match(hovers['utf16.csv'], /data\/utf16\.csv is UTF-16 text.*encoding='utf-16'/s);
  assert.match(hovers['empty.parquet'], /ArrowInvalid "Parquet file size is 0 bytes"/);
  assert.match(hovers['cut.csv.gz'], /gzip stream is truncated/);
});

test('dataset panel on the files pandas refuses: the CLI’s own message', async () => {
  const refused = READS.filter((r) => !r.reads);
  const cliSays = await footprints(refused.map((r) => `data/${r.name}`));
  for (const [i, r] of refused.entries()) {
    const { error } = cliSays[i];
    assert.ok(error, `${r.name}: the CLI refuses it`);
    await analyzeFromPicker(page, `data/${r.name}`);
    // The panel of this file (its heading is the path in the workspace); the panel names the file the
    // user picked by its full path, the CLI run in the workspace as given.
    const full = join(bench.profile.workspaceDir, 'data', r.name);
    let shown = '';
    await until(
      `the panel's error for ${r.name}`,
      async () => {
        for (const frame of page.frames()) {
          const heading = await frame.$eval('h1', (h) => h.textContent ?? '').catch(() => '');
          if (heading !== `data/${r.name}`) continue;
          const text = await frame.$eval('.error:not([hidden])', (e) => e.textContent ?? '').catch(() => '');
          shown = text.replaceAll(full, `data/${r.name}`).replace(/\s+/g, ' ').trim();
        }
        return shown !== '';
      },
      60_000,
    );
    await shot(`panel-${r.name.replace(/\W+/g, '-')}`);
    assert.ok(
      shown.includes(error.message),
      `${r.name}: the panel says what the CLI says\npanel: ${shown}\ncli:   ${error.message}`,
    );
    if (error.hint)
      assert.ok(shown.includes(error.hint), `${r.name}: and its hint\npanel: ${shown}\ncli:   ${error.hint}`);
  }
  // Each file was scanned once: the page that loads after a fast failure is shown the failure again,
  // not a second scan (each failed scan writes one warning to the Headroom log).
  for (const r of refused) {
    const warnings = () =>
      headroomLog(bench.profile.userDataDir)
        .split('\n')
        .filter((l) => l.includes(`[warning] data/${r.name}: `)).length;
    await until(`the log's warning for ${r.name}`, async () => warnings() >= 1, 15_000);
    await page.waitForTimeout(1000);
    assert.equal(warnings(), 1, `${r.name} was scanned once:\n${headroomLog(bench.profile.userDataDir)}`);
  }
});

test('run panel: NaN, a segfault and a 0-byte Parquet data file give the CLI’s reasons, no internal marker', async () => {
  await openFile(page, 'faults.tune.yaml');
  await runCommand(page, 'Headroom: Start Tuning Run');
  const frame = await runPanelFrame(page, 'faults', bench.profile.userDataDir);
  await until(
    'the run to finish',
    async () => /^finished/.test((await frame.textContent('#run-status')) ?? ''),
    120_000,
  );
  await shot('run-panel');
  const runs = join(bench.profile.workspaceDir, '.headroom', 'runs');
  const [runId] = readdirSync(runs);
  const records = readFileSync(join(runs, runId, 'trials.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TrialRecord);
  // The same spec through the CLI, in a copy of the workspace: its per-trial lines give the reasons.
  const copy = mkdtempSync(join(tmpdir(), 'hostile-e2e-cli-'));
  try {
    writeFileSync(join(copy, 'obj.py'), OBJECTIVE);
    writeFileSync(join(copy, 'faults.tune.yaml'), SPEC);
    writeFileSync(join(copy, 'empty.parquet'), '');
    const run = spawnSync(process.execPath, [cli, 'tune', 'faults.tune.yaml', '--python', python], {
      cwd: copy,
      encoding: 'utf8',
    });
    const cliReason = (kind: string) =>
      new RegExp(`^  t\\d+ failed +kind=${kind} -> (.*) \\(\\d`, 'm').exec(run.stdout)?.[1];
    const body = (await frame.textContent('body')) ?? '';
    assert.ok(!body.includes('headroom-trial-end') && !body.includes('\u001e'), 'no internal marker in the panel');
    const reasons: [string, RegExp][] = [
      ['nan', /^objective returned NaN for 'score': it must be a finite number$/],
      ['segv', /^killed by SIGSEGV \(segmentation fault\): trial segv starting$/],
      // The run panel shows no facts of its own about the data file: the trial that reads it gives pandas' words.
      ['parquet', /^ArrowInvalid: .*Parquet file size is 0 bytes$/],
    ];
    for (const [kind, expected] of reasons) {
      const record = records.find((r) => r.params.kind === kind)!;
      assert.match(record.error ?? '', expected, `trials.jsonl, ${kind}`);
      assert.equal(cliReason(kind), record.error, `headroom tune, ${kind}:\n${run.stdout}`);
      const status = await frame.$eval(`.grid-row[data-trial="${record.trialId}"] .cell:nth-child(2)`, (cell) => [
        cell.textContent,
        cell.getAttribute('title'),
      ]);
      const shown = `failed: ${record.error}`;
      assert.deepEqual(status, [shown, shown], `the panel's status cell, ${kind}`);
    }
    // Peak RSS: what was measured, or "—" where the trial died before its first sample (the segfault,
    // 200 ms before the first: the CLI then states no peak at all), never "0 B".
    const heads = await frame.$$eval('.grid-head .head-cell', (cells) => cells.map((c) => c.textContent ?? ''));
    const peakColumn = heads.findIndex((h) => h.startsWith('Peak RSS')) + 1;
    assert.ok(peakColumn > 0, heads.join(' | '));
    const segvLine = /^ {2}t\d+ failed +kind=segv -> .*$/m.exec(run.stdout)?.[0] ?? '';
    assert.doesNotMatch(segvLine, /peak RSS/, segvLine);
    for (const record of records) {
      const shown = await frame.$eval(
        `.grid-row[data-trial="${record.trialId}"] .cell:nth-child(${peakColumn})`,
        (cell) => cell.textContent,
      );
      assert.equal(shown, record.peakRssBytes ? formatBytes(record.peakRssBytes) : '—', `peak of ${record.trialId}`);
    }
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
});
