/**
 * Reads a NAME.tune.yaml|yml|json spec, validates it against the shipped JSON Schema and resolves
 * defaults and paths. Every problem carries the line and column of the offending node, so the
 * editor can underline it and the CLI can print `file:line:col`.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { TUNE_SCHEMA as schema } from './specSchema';
import { SPEC_FILE } from '../fileKinds';
import { parseBytes } from '../format';
import { choosePython, type ChosenPython, type PythonChoice } from '../python';
import type { ParamValue } from './runFiles';
import type { Distribution, ResolvedSpec } from './types';

export interface SpecIssue {
  message: string;
  /** 1-based; 1:1 when the problem is the file as a whole. */
  line: number;
  column: number;
  /** JSON pointer of the offending value, "" for the root. */
  path: string;
}

export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly issues: SpecIssue[],
  ) {
    super(issues.map((i) => `${file}:${i.line}:${i.column}: ${i.message}`).join('\n'));
    this.name = 'SpecError';
  }
}

export type { PythonChoice } from '../python';

export { SPEC_FILE } from '../fileKinds';

const ajv = new Ajv({ allErrors: true, strict: false });
const validateSchema = ajv.compile(schema);

type Located = { doc: Document; lines: LineCounter };

function positionOf(located: Located, pointer: string, key = false): { line: number; column: number } {
  const segments = pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
  let node: unknown = located.doc.contents;
  let keyNode: unknown;
  for (const segment of segments) {
    if (!isMap(node) && !(node && typeof node === 'object' && 'items' in node)) break;
    const items = (node as { items: unknown[] }).items;
    const next = isMap(node)
      ? (node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment) as
          { key: unknown; value: unknown } | undefined)
      : undefined;
    if (isMap(node)) {
      if (!next) break;
      keyNode = next.key;
      node = next.value;
    } else {
      const item = items[Number(segment)];
      if (item === undefined) break;
      keyNode = undefined;
      node = item;
    }
  }
  const target = (key && keyNode ? keyNode : node) as Node | undefined;
  const offset = target?.range?.[0] ?? 0;
  const pos = located.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

const FRIENDLY: [RegExp, string][] = [
  [
    /^\/params\/[^/]+$/,
    'must be a list of values (grid axis or choice), {choice: [...]}, {uniform: [low, high]}, {loguniform: [low, high]} (low > 0) or {int: [low, high]}',
  ],
  [/^\/resources\/workers$/, 'must be "auto" or a whole number of workers >= 1'],
  [
    /^\/resources\/(memoryPerTrial|memoryBudget)$/,
    'must be "auto" or a size such as "2GB", "512MiB" or a number of bytes',
  ],
  [/^\/resources\/timeout$/, 'must be seconds (e.g. 30) or a duration such as "90s", "10m", "2h"'],
  [/^\/cluster\/ray$/, 'must be the head\'s address as HOST:PORT (e.g. "10.0.0.5:6379") or "auto" (RAY_ADDRESS)'],
];

function schemaIssues(errors: ErrorObject[], located: Located): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const anyOfPaths = errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
  const seen = new Set<string>();
  for (const e of errors) {
    const covered = anyOfPaths.find(
      (p) => e.keyword !== 'anyOf' && (e.instancePath === p || e.instancePath.startsWith(p + '/')),
    );
    if (covered !== undefined) continue;
    let path = e.instancePath;
    let message: string;
    let atKey = false;
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      path = `${path}/${extra}`;
      atKey = true;
      message = `unknown field '${extra}'`;
    } else if (e.keyword === 'required') {
      message = `missing required field '${(e.params as { missingProperty: string }).missingProperty}'`;
    } else if (e.instancePath === '' && (e.keyword === 'oneOf' || e.keyword === 'not')) {
      message = "needs exactly one of 'script:' (script mode) or 'objective: module:function' (objective mode)";
    } else if (e.keyword === 'enum') {
      message = `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    } else {
      message = FRIENDLY.find(([re]) => re.test(e.instancePath))?.[1] ?? e.message ?? 'is invalid';
    }
    const field = path === '' ? 'spec' : `'${path.slice(1).replace(/\//g, '.')}'`;
    const text =
      message.startsWith('missing') || message.startsWith('needs') || message.startsWith('unknown')
        ? message
        : `${field} ${message}`;
    const key = `${path}|${text}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ message: text, path, ...positionOf(located, path, atKey) });
  }
  return issues;
}

/** "90s" | "10m" | 30 -> milliseconds. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return value > 0 ? value * 1000 : undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) return undefined;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Number(m[1]) * unit;
}

function distributionOf(raw: unknown): Distribution {
  if (Array.isArray(raw)) return { kind: 'choice', values: raw as ParamValue[] };
  if (raw !== null && typeof raw === 'object') {
    const o = raw as Record<string, unknown>;
    if ('choice' in o) return { kind: 'choice', values: o.choice as ParamValue[] };
    const [kind] = Object.keys(o) as ('uniform' | 'loguniform' | 'int')[];
    const [low, high] = o[kind] as number[];
    return { kind, low, high };
  }
  return { kind: 'fixed', value: raw as ParamValue };
}

/** Parses and validates spec text. `file` is used for messages and to resolve relative paths. */
export function parseSpec(text: string, file: string, python: PythonChoice = {}): ResolvedSpec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const located = { doc, lines };
  if (doc.errors.length > 0) {
    throw new SpecError(
      file,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return { message: e.message.split('\n')[0], line: pos.line, column: pos.col, path: '' };
      }),
    );
  }
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SpecError(file, [
      {
        message: 'a tuning spec must be a mapping of fields (script/objective, params, metric, ...)',
        line: 1,
        column: 1,
        path: '',
      },
    ]);
  }
  if (!validateSchema(raw)) throw new SpecError(file, schemaIssues(validateSchema.errors ?? [], located));
  const s = raw as Record<string, unknown> & { resources?: Record<string, unknown> };
  const issues: SpecIssue[] = [];
  const issue = (path: string, message: string, atKey = false) =>
    issues.push({ message, path, ...positionOf(located, path, atKey) });
  const cwd = dirname(resolve(file));
  const params: Record<string, Distribution> = {};
  for (const [name, value] of Object.entries(s.params as Record<string, unknown>)) {
    const d = distributionOf(value);
    if ((d.kind === 'uniform' || d.kind === 'loguniform' || d.kind === 'int') && !(d.low < d.high)) {
      issue(`/params/${name}`, `'params.${name}': low must be below high`);
    }
    params[name] = d;
  }
  const search = (s.search as ResolvedSpec['search'] | undefined) ?? 'grid';
  if (search === 'grid') {
    for (const [name, d] of Object.entries(params)) {
      if (d.kind === 'uniform' || d.kind === 'loguniform' || d.kind === 'int') {
        issue(
          `/params/${name}`,
          `'params.${name}': grid search needs a list of values; use 'search: random' for ${d.kind} ranges`,
        );
      }
    }
  }
  let entryFile: string;
  let objective: ResolvedSpec['objective'] = null;
  if (typeof s.script === 'string') {
    entryFile = resolve(cwd, s.script);
    if (!existsSync(entryFile) || !statSync(entryFile).isFile()) issue('/script', `script not found: ${entryFile}`);
  } else {
    const [module, func] = (s.objective as string).split(':');
    objective = { module, func };
    const base = join(cwd, ...module.split('.'));
    entryFile = existsSync(`${base}.py`) ? `${base}.py` : join(base, '__init__.py');
    if (!existsSync(entryFile))
      issue('/objective', `objective module '${module}' not found: expected ${base}.py next to the spec`);
  }
  let data: string | null = null;
  if (typeof s.data === 'string') {
    data = resolve(cwd, s.data);
    if (!existsSync(data)) issue('/data', `data file not found: ${data}`);
  }
  const r = s.resources ?? {};
  const size = (key: 'memoryPerTrial' | 'memoryBudget'): number | null => {
    const v = r[key];
    if (v === undefined || v === 'auto') return null;
    const bytes = parseBytes(v as string | number);
    if (bytes === undefined || bytes <= 0) issue(`/resources/${key}`, `'resources.${key}' is not a size: ${String(v)}`);
    return bytes ?? null;
  };
  const timeoutMs = r.timeout === undefined ? null : (parseDuration(r.timeout as number | string) ?? null);
  const chosenPython = chooseSpecPython(s.python as string | undefined, cwd, python);
  const spec: ResolvedSpec = {
    name: (s.name as string | undefined) ?? basename(file).replace(SPEC_FILE, ''),
    specPath: resolve(file),
    cwd,
    kind: objective ? 'objective' : 'script',
    entryFile,
    objective,
    python: chosenPython.path,
    pythonSource: chosenPython.source,
    pythonFrom: chosenPython.from,
    args: (s.args as string[] | undefined) ?? [],
    env: (s.env as Record<string, string> | undefined) ?? {},
    params,
    search,
    trials: (s.trials as number | undefined) ?? null,
    seed: (s.seed as number | undefined) ?? 0,
    factor: (s.factor as number | undefined) ?? 3,
    metric: s.metric as string,
    mode: (s.mode as 'max' | 'min' | undefined) ?? 'max',
    data,
    sample: (s.sample as number | undefined) ?? 1,
    prune: (s.prune as 'none' | 'median' | undefined) ?? 'none',
    cache: (s.cache as boolean | undefined) ?? true,
    cluster: s.cluster ? { ray: (s.cluster as { ray: string }).ray } : null,
    resources: {
      workers: (r.workers as number | 'auto' | undefined) ?? 'auto',
      threadsPerTrial: (r.threadsPerTrial as number | undefined) ?? 1,
      memoryPerTrial: size('memoryPerTrial'),
      memoryBudget: size('memoryBudget'),
      timeoutMs,
    },
  };
  if (issues.length > 0) throw new SpecError(file, issues);
  return spec;
}

/** The spec's `python:`, then what the caller knows (core/python/choice.ts), then python3. */
function chooseSpecPython(fromSpec: string | undefined, cwd: string, choice: PythonChoice): ChosenPython {
  return choosePython(choice, fromSpec ? { python: fromSpec, specDir: cwd } : undefined);
}

/** The interpreter and which link of the chain chose it. */
export function resolvePython(
  fromSpec: string | undefined,
  cwd: string,
  choice: PythonChoice,
): [string, ResolvedSpec['pythonSource']] {
  const chosen = chooseSpecPython(fromSpec, cwd, choice);
  return [chosen.path, chosen.source];
}

/** Reads and resolves a spec file; SpecError for anything wrong with it. */
export function loadSpec(file: string, python: PythonChoice = {}): ResolvedSpec {
  if (!SPEC_FILE.test(file)) {
    throw new SpecError(file, [
      {
        message: 'a tuning spec is named NAME.tune.yaml, NAME.tune.yml or NAME.tune.json',
        line: 1,
        column: 1,
        path: '',
      },
    ]);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SpecError(file, [
      { message: `cannot read the spec: ${(error as Error).message}`, line: 1, column: 1, path: '' },
    ]);
  }
  return parseSpec(text, file, python);
}
