/**
 * Python code that applies a downcast plan: for CSV/TSV at load time through read_csv/read_table
 * arguments (the default-typed frame is never built), for Parquet with `.astype` after reading
 * (pandas cannot narrow Parquet columns while reading, so the peak is stated).
 */
import { formatCount } from '../format';
import type { DowncastPlan } from './advice';
import type { DatasetFormat, FootprintResult } from './types';

/** A Python string literal for any text (non-ASCII kept as is: Python source is UTF-8). */
export function pyStr(text: string): string {
  let out = '"';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** 1234567 -> "1,234,567" (the way the comments in the generated code show bytes). */
export function groupDigits(n: number): string {
  return formatCount(Math.round(n));
}

/** 1234567 -> "1_234_567" (a Python int literal). */
function pyInt(n: number): string {
  return formatCount(Math.round(n)).replace(/,/g, '_');
}

export interface CodeOptions {
  /** How the path appears in the code (e.g. relative to the workspace); default: result.file. */
  path?: string;
  /** Keep only these columns (usecols= / columns=). */
  usecols?: string[];
  /** Stream in chunks of this many rows. */
  chunksize?: number;
  /** Keep about this share of the rows, drawn at random while reading (0 < f < 1). */
  sampleFraction?: number;
}

type Arg = [name: string, literal: string];

function reader(format: DatasetFormat): string {
  return format === 'tsv' ? 'pd.read_table' : format === 'parquet' ? 'pd.read_parquet' : 'pd.read_csv';
}

function dictLiteral(entries: [string, string][], indent: string): string {
  if (entries.length === 0) return '{}';
  const inner = entries.map(([k, v]) => `${indent}    ${pyStr(k)}: ${pyStr(v)},`).join('\n');
  return `{\n${inner}\n${indent}}`;
}

function listLiteral(items: string[], indent = '    '): string {
  const flat = `[${items.map(pyStr).join(', ')}]`;
  if (flat.length <= 80) return flat;
  return `[\n${items.map((i) => `${indent}    ${pyStr(i)},`).join('\n')}\n${indent}]`;
}

function call(fn: string, args: Arg[], indent = ''): string {
  const positional = args.filter(([n]) => n === '').map(([, v]) => v);
  const named = args.filter(([n]) => n !== '').map(([n, v]) => `${n}=${v}`);
  const all = [...positional, ...named];
  const oneLine = `${fn}(${all.join(', ')})`;
  if (oneLine.length + indent.length <= 100 && !oneLine.includes('\n')) return oneLine;
  return `${fn}(\n${all.map((a) => `${indent}    ${a},`).join('\n')}\n${indent})`;
}

function modelLine(result: FootprintResult): string {
  const m = result.model;
  return `pandas ${m.pandas}, Python ${m.python}${m.pyarrow ? ', pyarrow' : ''}`;
}

/** The plan's entries restricted to the kept columns. */
function planEntries(plan: DowncastPlan, keep?: Set<string>) {
  const dtype = Object.entries(plan.dtype).filter(([name]) => !keep || keep.has(name));
  const parseDates = plan.parseDates.filter((name) => !keep || keep.has(name));
  return { dtype, parseDates };
}

/** read_csv / read_table with the plan applied while parsing. */
function csvCode(result: FootprintResult, plan: DowncastPlan, options: CodeOptions, target: string): string {
  const keep = options.usecols ? new Set(options.usecols) : undefined;
  const { dtype, parseDates } = planEntries(plan, keep);
  const streaming = options.chunksize !== undefined;
  const indent = streaming ? '' : '';
  const args: Arg[] = [['', pyStr(options.path ?? result.file)]];
  if (options.usecols) args.push(['usecols', listLiteral(options.usecols)]);
  if (dtype.length > 0) args.push(['dtype', dictLiteral(dtype, '    ')]);
  if (parseDates.length > 0) args.push(['parse_dates', listLiteral(parseDates)]);
  if (options.sampleFraction !== undefined) {
    args.push(['skiprows', `lambda i: i > 0 and rng.random() > ${options.sampleFraction}`]);
  }
  if (streaming) args.push(['chunksize', pyInt(options.chunksize!)]);
  const lines = ['import pandas as pd'];
  if (options.sampleFraction !== undefined) lines.push('import numpy as np', '', 'rng = np.random.default_rng(0)');
  lines.push('');
  if (streaming) {
    lines.push(`for chunk in ${call(reader(result.format), args, indent)}:`, `    ...  # ${target}`);
  } else {
    lines.push(`df = ${call(reader(result.format), args)}`, `# ${target}`);
  }
  return lines.join('\n');
}

/** read_parquet, then astype: Parquet readers cannot narrow while reading, so the peak is stated. */
function parquetCode(result: FootprintResult, plan: DowncastPlan, options: CodeOptions, target: string): string {
  const keep = options.usecols ? new Set(options.usecols) : undefined;
  const { dtype, parseDates } = planEntries(plan, keep);
  const conversions: [string, string][] = [...dtype, ...parseDates.map((n): [string, string] => [n, 'datetime64[ns]'])];
  const args: Arg[] = [['', pyStr(options.path ?? result.file)]];
  if (options.usecols) args.push(['columns', listLiteral(options.usecols)]);
  const lines = ['import pandas as pd', '', `df = ${call('pd.read_parquet', args)}`];
  if (conversions.length > 0) lines.push(`df = df.astype(${dictLiteral(conversions, '')})`);
  if (options.sampleFraction !== undefined) {
    lines.push(`df = df.sample(frac=${options.sampleFraction}, random_state=0).reset_index(drop=True)`);
  }
  lines.push(`# ${target}`);
  const converted = plan.columns.filter((c) => c.suggestion && (!keep || keep.has(c.name)));
  if (converted.length > 0) {
    const peak = parquetPeakBytes(plan, keep);
    lines.push(
      `# peak while converting: at least ${groupDigits(peak)} bytes (the frame as read plus the converted columns)`,
    );
  }
  return lines.join('\n');
}

/** Lower bound of the peak of read_parquet + astype: the frame as read, plus the converted copies. */
export function parquetPeakBytes(plan: DowncastPlan, keep?: Set<string>): number {
  const kept = plan.columns.filter((c) => !keep || keep.has(c.name));
  const asRead = plan.indexBytes + kept.reduce((s, c) => s + c.bytes, 0);
  return asRead + kept.reduce((s, c) => s + (c.suggestion ? c.plannedBytes : 0), 0);
}

/**
 * The code that loads the file with the plan applied, ending with a comment stating the footprint
 * `df.memory_usage(deep=True).sum()` will report.
 * @param expectedBytes the footprint to state (the plan's suggestedTotalBytes, or a usecols/sample figure)
 */
export function generateCode(
  result: FootprintResult,
  plan: DowncastPlan,
  options: CodeOptions = {},
  expectedBytes?: number,
): string {
  const bytes = expectedBytes ?? plan.suggestedTotalBytes;
  const approx = options.sampleFraction !== undefined || options.chunksize !== undefined;
  const what =
    options.chunksize !== undefined
      ? 'each chunk: about'
      : approx
        ? 'df.memory_usage(deep=True).sum(): about'
        : 'df.memory_usage(deep=True).sum() ==';
  const was = options.usecols || approx ? '' : ` (default read: ${groupDigits(plan.totalBytes)})`;
  const target = `${what} ${groupDigits(bytes)} bytes${was} with ${modelLine(result)}`;
  return result.format === 'parquet'
    ? parquetCode(result, plan, options, target)
    : csvCode(result, plan, options, target);
}
