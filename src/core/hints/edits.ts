/**
 * Quick-fix text edits for a read call: insert or merge `dtype=` / `parse_dates=` from the advisor's
 * plan (or `.astype({...})` after read_parquet), and set `n_jobs=`. Edits follow the call's own style:
 * its quote character, one argument per line or inline, trailing commas. An existing keyword is merged
 * into, never duplicated; entries the user already wrote win.
 */
import type { DowncastPlan } from '../footprint/advice';
import { isDict } from './literals';
import type { KeywordArg, NJobsArg, ReadCall, Span } from './types';

export interface TextEdit extends Span {
  newText: string;
}

/** The part of the plan that applies to this call, and the footprint after applying just that part. */
export interface ApplicablePlan {
  dtype: Record<string, string>;
  parseDates: string[];
  /** Deep bytes of the frame once the edit is applied. */
  withDtypesBytes: number;
  savedBytes: number;
}

const keyword = (call: ReadCall, name: string): KeywordArg | undefined => call.keywords.find((k) => k.name === name);

function userDtypeColumns(call: ReadCall): Set<string> | 'all' | 'opaque' {
  const k = keyword(call, 'dtype');
  if (!k) return new Set();
  if (!isDict(k.value)) return typeof call.read.dtype === 'string' ? 'all' : 'opaque';
  return new Set(k.value.dict.map(([key]) => String(key)));
}

export function applicablePlan(call: ReadCall, plan: DowncastPlan): ApplicablePlan {
  const userDtypes = userDtypeColumns(call);
  const pd = keyword(call, 'parse_dates');
  const userDates = Array.isArray(pd?.value) ? new Set(pd.value.map(String)) : undefined;
  const canDates = !pd || userDates !== undefined;
  const dtype: Record<string, string> = {};
  const parseDates: string[] = [];
  let withDtypesBytes = plan.indexBytes;
  for (const column of plan.columns) {
    const inDtype = column.name in plan.dtype;
    const inDates = plan.parseDates.includes(column.name);
    const dtypeOk = typeof userDtypes === 'object' && !userDtypes.has(column.name) && !userDates?.has(column.name);
    let applied = false;
    if (inDtype && dtypeOk) {
      dtype[column.name] = plan.dtype[column.name];
      applied = true;
    } else if (inDates && canDates && dtypeOk) {
      parseDates.push(column.name);
      applied = true;
    }
    withDtypesBytes += applied ? column.plannedBytes : column.bytes;
  }
  return { dtype, parseDates, withDtypesBytes, savedBytes: plan.totalBytes - withDtypesBytes };
}

/** The quote the call's path uses, so inserted strings match. */
export function quoteStyle(source: string, call: ReadCall): "'" | '"' {
  const pathText = call.pathSpan ? source.slice(call.pathSpan.start, call.pathSpan.end) : '';
  const first = /['"]/.exec(pathText)?.[0];
  return first === '"' ? '"' : "'";
}

export function pyString(text: string, quote: "'" | '"'): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(quote === "'" ? /'/g : /"/g, '\\' + quote)
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return quote + escaped + quote;
}

const lineStart = (source: string, offset: number) => source.lastIndexOf('\n', offset - 1) + 1;
const indentAt = (source: string, offset: number) => /^[ \t]*/.exec(source.slice(lineStart(source, offset)))![0];

/** Inserts `entries` (already formatted) before the closing bracket of a literal list or dict. */
function appendToCollection(source: string, value: Span, entries: string[]): TextEdit {
  const close = value.end - 1;
  const body = source.slice(value.start + 1, close);
  const trimmed = body.trimEnd();
  if (trimmed.trim() === '') return { start: value.start + 1, end: close, newText: entries.join(', ') };
  const insertAt = value.start + 1 + trimmed.length;
  const hasComma = trimmed.endsWith(',');
  if (body.includes('\n')) {
    const lastEntryIndent = indentAt(source, insertAt);
    const lines = entries.map((e) => `\n${lastEntryIndent}${e},`).join('');
    return { start: insertAt, end: insertAt, newText: (hasComma ? '' : ',') + (hasComma ? lines : lines.slice(0, -1)) };
  }
  return { start: insertAt, end: insertAt, newText: (hasComma ? ' ' : ', ') + entries.join(', ') };
}

/** A keyword argument to add whose value is a literal list or dict, kept in items so it can wrap. */
interface NewArg {
  name: string;
  open: '[' | '{';
  close: ']' | '}';
  items: string[];
}

/** Black's default: past this width a call is laid out one argument per line. */
export const MAX_LINE_LENGTH = 88;

const inlineArg = (a: NewArg) => `${a.name}=${a.open}${a.items.join(', ')}${a.close}`;

function wrappedArg(a: NewArg, indent: string, step: string): string {
  const inline = inlineArg(a);
  if (indent.length + inline.length + 1 <= MAX_LINE_LENGTH) return inline;
  return `${a.name}=${a.open}\n${a.items.map((i) => `${indent}${step}${i},`).join('\n')}\n${indent}${a.close}`;
}

/** Adds arguments after the last one, one per line when the call is laid out that way. */
function addKeywords(source: string, call: ReadCall, args: NewArg[]): TextEdit[] {
  const close = call.argsSpan.end - 1;
  const after = source.slice(call.lastArgEnd, close);
  const comma = /^\s*,/.exec(after);
  const argsText = source.slice(call.argsSpan.start, call.argsSpan.end);
  const oneArgPerLine = /^\(\s*\n/.test(argsText);
  if (!oneArgPerLine) {
    const at = comma ? call.lastArgEnd + comma[0].length : call.lastArgEnd;
    const newText = (comma ? ' ' : ', ') + args.map(inlineArg).join(', ');
    const lineStart = source.lastIndexOf('\n', call.argsSpan.start - 1) + 1;
    const lineEnd = source.indexOf('\n', call.argsSpan.end);
    const lineLength = (lineEnd === -1 ? source.length : lineEnd) - lineStart + newText.length;
    // A one-line call that would grow past the line width is laid out one argument per line (as black
    // would), unless it holds comments or line breaks that a rewrite could lose.
    if (lineLength <= MAX_LINE_LENGTH || argsText.includes('\n') || argsText.includes('#')) {
      return [{ start: at, end: at, newText }];
    }
    const base = /^[ \t]*/.exec(source.slice(lineStart))![0];
    const step = base.includes('\t') ? '\t' : '    ';
    const existing = call.argSpans.map((s) => source.slice(s.start, s.end));
    const lines = [...existing, ...args.map((a) => wrappedArg(a, base + step, step))].map((a) => `${base}${step}${a},`);
    return [{ start: call.argsSpan.start, end: call.argsSpan.end, newText: `(\n${lines.join('\n')}\n${base})` }];
  }
  // Indent like the first argument; go after any comment that ends the last argument's line.
  const firstLine = source.indexOf('\n', call.argsSpan.start) + 1;
  const indent = /^[ \t]*/.exec(source.slice(firstLine))![0];
  const lineEnd = source.indexOf('\n', call.lastArgEnd);
  const at = lineEnd !== -1 && lineEnd < close ? lineEnd : call.lastArgEnd + (comma ? comma[0].length : 0);
  const step = indent.includes('\t') ? '\t' : '    ';
  const lines = args.map((a) => `\n${indent}${wrappedArg(a, indent, step)}`).join(',') + (comma ? ',' : '');
  if (comma) return [{ start: at, end: at, newText: lines }];
  return [
    { start: call.lastArgEnd, end: call.lastArgEnd, newText: ',' },
    { start: at, end: at, newText: lines },
  ];
}

function dictText(entries: [string, string][], quote: "'" | '"'): string {
  return `{${entries.map(([k, v]) => `${pyString(k, quote)}: ${pyString(v, quote)}`).join(', ')}}`;
}

/** Edits that apply `applicable` to the call; empty when there is nothing to add. */
export function dtypeEdits(source: string, call: ReadCall, applicable: ApplicablePlan): TextEdit[] {
  const quote = quoteStyle(source, call);
  const dtypeEntries = Object.entries(applicable.dtype);
  if (call.fn === 'read_parquet') {
    const entries: [string, string][] = [
      ...dtypeEntries,
      ...applicable.parseDates.map((c): [string, string] => [c, 'datetime64[ns]']),
    ];
    if (entries.length === 0) return [];
    return [{ start: call.span.end, end: call.span.end, newText: `.astype(${dictText(entries, quote)})` }];
  }
  const edits: TextEdit[] = [];
  const newArgs: NewArg[] = [];
  const dtypeArg = keyword(call, 'dtype');
  if (dtypeEntries.length > 0) {
    if (dtypeArg && isDict(dtypeArg.value)) {
      const entries = dtypeEntries.map(([k, v]) => `${pyString(k, quote)}: ${pyString(v, quote)}`);
      edits.push(appendToCollection(source, dtypeArg.valueSpan, entries));
    } else if (!dtypeArg) {
      const items = dtypeEntries.map(([k, v]) => `${pyString(k, quote)}: ${pyString(v, quote)}`);
      newArgs.push({ name: 'dtype', open: '{', close: '}', items });
    }
  }
  const datesArg = keyword(call, 'parse_dates');
  if (applicable.parseDates.length > 0) {
    const names = applicable.parseDates.map((c) => pyString(c, quote));
    if (datesArg && Array.isArray(datesArg.value)) edits.push(appendToCollection(source, datesArg.valueSpan, names));
    else if (!datesArg) newArgs.push({ name: 'parse_dates', open: '[', close: ']', items: names });
  }
  if (newArgs.length > 0) edits.push(...addKeywords(source, call, newArgs));
  return edits;
}

/** Replaces the n_jobs value (keeps the keyword as written). */
export function nJobsEdit(nJobs: NJobsArg, value: number): TextEdit {
  return { start: nJobs.valueSpan.start, end: nJobs.valueSpan.end, newText: String(value) };
}

/** Applies non-overlapping edits to a string (for tests and previews). */
export function applyEdits(source: string, edits: TextEdit[]): string {
  let out = source;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}
