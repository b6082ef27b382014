// `headroom footprint FILE...`: what pd.read_csv / read_parquet would hold in memory, and how to shrink it.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
// The engine through its entry (dist/lazy-footprint.js at run time, scripts/bundles.mjs).
import { adviseFootprint, analyzeFile, closeFootprintPool, FootprintError } from '../core/footprint/index';
import type { AdviceOptions } from '../core/footprint/advisor';
import type { FootprintResult } from '../core/footprint/types';
import { ResourceSampler } from '../core/monitor/sampler';
import { parseBytes } from '../core/format';
import { choosePython, describeModel, PythonError, resolvePandasModel } from '../core/python';
import { existsSync } from 'node:fs';
import { cliPythonChoice, pythonLine } from './python';
import { footprintJson, footprintText } from './footprintReport';

const HELP = `usage: headroom footprint FILE... [options]

  Memory pandas would use for each CSV/TSV (.gz too) or Parquet file, df.memory_usage(deep=True)
  after a default read, with a downcast plan and the code that applies it.

  --json             one JSON object (an array for several files) instead of the table
  --exact            scan every row (default): the exact byte count
  --quick            sample the file: bounded time, result within the stated ±%
  --pandas V         pandas version to model (1.5, 2.2, 3.0); default: the interpreter's
  --python-version V CPython version to model (3.11, 3.12); default: the interpreter's
  --no-pyarrow       model pandas without pyarrow (pandas 3 strings then cost like objects)
  --python PATH      interpreter to ask for its versions (default: an activated virtualenv or conda
                     environment, else the workspace's .vscode/settings.json or .venv, else python3)
  --workers N        scanning threads for --exact (default: all cores)
  --n-jobs N         workers that will each hold a copy, for the sub-sample plan (default: all cores)
  --available SIZE   memory to plan for, e.g. 8GB (default: what this machine has available now)`;

type Values = {
  json: boolean;
  exact: boolean;
  quick: boolean;
  pandas?: string;
  python?: string;
  'python-version'?: string;
  'no-pyarrow': boolean;
  workers?: string;
  'n-jobs'?: string;
  available?: string;
  help: boolean;
};

function fail(message: string): number {
  console.error(`headroom footprint: ${message}`);
  return 2;
}

function positiveInt(text: string | undefined, flag: string): number | undefined | Error {
  if (text === undefined) return undefined;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 ? n : new Error(`${flag} must be a whole number, at least 1 (got '${text}')`);
}

export async function run(argv: string[]): Promise<number> {
  let values: Values;
  let files: string[];
  try {
    const parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean', default: false },
        exact: { type: 'boolean', default: false },
        quick: { type: 'boolean', default: false },
        pandas: { type: 'string' },
        python: { type: 'string' },
        'python-version': { type: 'string' },
        'no-pyarrow': { type: 'boolean', default: false },
        workers: { type: 'string' },
        'n-jobs': { type: 'string' },
        available: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    values = parsed.values as Values;
    files = parsed.positionals;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${HELP}`);
  }
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (files.length === 0) return fail(`no FILE given\n\n${HELP}`);
  if (values.exact && values.quick) return fail('choose one of --exact and --quick');
  for (const [flag, v] of [
    ['--pandas', values.pandas],
    ['--python-version', values['python-version']],
  ] as const) {
    if (v !== undefined && !/^\d+\.\d+$/.test(v))
      return fail(`${flag} takes a major.minor version such as 2.2 (got '${v}')`);
  }
  const workers = positiveInt(values.workers, '--workers');
  const nJobs = positiveInt(values['n-jobs'], '--n-jobs');
  if (workers instanceof Error) return fail(workers.message);
  if (nJobs instanceof Error) return fail(nJobs.message);
  const available = values.available === undefined ? undefined : parseBytes(values.available);
  if (values.available !== undefined && !available)
    return fail(`--available takes a size such as 8GB or 512MiB (got '${values.available}')`);

  // Before 0.1, --python took the CPython version to model; a version there now gets a pointer, not "not found".
  if (values.python && /^\d+\.\d+$/.test(values.python) && !existsSync(values.python))
    return fail(
      `--python takes an interpreter; for the CPython version to model use --python-version ${values.python}`,
    );
  const chosen = choosePython(cliPythonChoice(values.python, files[0]));
  const line = pythonLine(chosen);
  if (values.json) console.error(`headroom footprint: ${line}`);
  else console.log(line);
  let resolution;
  try {
    resolution = await resolvePandasModel(
      chosen.path,
      {
        pandas: values.pandas,
        python: values['python-version'],
        pyarrow: values['no-pyarrow'] ? false : 'auto',
      },
      // A CLI process lives for one call: the interpreter's answer is kept on disk while its packages are unchanged.
      { face: 'cli', persistProbe: true },
    );
  } catch (error) {
    return fail(error instanceof PythonError ? error.message : String(error));
  }
  if (resolution.message) console.error(`headroom footprint: ${resolution.message}`);
  else if (!values.json) console.error(`headroom footprint: modelling ${describeModel(resolution.model)}`);

  const cores = availableParallelism();
  // Read after the first scan, when the advice needs it: not on the way to the scan's start.
  let env: Promise<NonNullable<AdviceOptions['env']>> | undefined;
  const adviceEnv = () =>
    (env ??= (
      available !== undefined
        ? Promise.resolve(available)
        : new ResourceSampler().sample('status').then((s) => s.memory.availableBytes)
    ).then((availableBytes) => ({ availableBytes, cores, workers: nJobs ?? cores })));
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const outputs: unknown[] = [];
  let failed = 0;
  try {
    for (const file of files) {
      let result: FootprintResult;
      try {
        result = await analyzeFile(file, {
          model: resolution.model,
          mode: values.quick ? 'quick' : 'exact',
          workers,
          signal: controller.signal,
        });
      } catch (error) {
        failed++;
        const e =
          error instanceof FootprintError
            ? error
            : new FootprintError('unreadable', error instanceof Error ? error.message : String(error));
        if (values.json) outputs.push({ file, error: { code: e.code, message: e.message, hint: e.hint ?? null } });
        else console.error(`headroom footprint: ${file}: ${e.message}${e.hint ? `\n  hint: ${e.hint}` : ''}`);
        if (e.code === 'cancelled') break;
        continue;
      }
      const advice = adviseFootprint(result, { env: await adviceEnv() });
      if (values.json) outputs.push(footprintJson(result, advice));
      else console.log(`${footprintText(result, advice, cores)}\n`);
    }
  } finally {
    process.removeListener('SIGINT', onSignal);
    await closeFootprintPool();
  }
  if (values.json) console.log(JSON.stringify(files.length === 1 ? outputs[0] : outputs, null, 2));
  return failed > 0 ? 1 : 0;
}
