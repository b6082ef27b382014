/**
 * What a JSON Schema cannot say about a tuning spec: the script file is missing, the objective
 * function is not in its module, memoryPerTrial is more than the machine has. Each problem carries
 * the character range of the offending value, so the editor underlines exactly that.
 */
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';
import { formatBytes, parseBytes } from '../format';

export interface SpecCheckIssue {
  message: string;
  severity: 'error' | 'warning';
  /** Character offsets in the spec text [start, end). */
  start: number;
  end: number;
  code:
    | 'script-missing'
    | 'module-missing'
    | 'objective-missing'
    | 'memory-too-large'
    | 'budget-too-large'
    | 'data-missing'
    | 'python-none';
}

/** File access the checks need (the host passes node:fs; tests pass a map). */
export interface CheckFiles {
  isFile(path: string): boolean;
  read(path: string): string | undefined;
}

export interface CheckContext {
  /** Directory of the spec: relative paths start there. */
  specDir: string;
  files: CheckFiles;
  /** Memory of the machine (or its container limit), bytes. */
  totalMemoryBytes: number;
  join(...parts: string[]): string;
}

type Field = { value: unknown; node: Node };

function field(map: unknown, key: string): Field | undefined {
  if (!isMap(map)) return undefined;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (!pair || !pair.value) return undefined;
  const node = pair.value as Node;
  return { value: isScalar(node) ? node.value : undefined, node };
}

function range(node: Node): { start: number; end: number } {
  const [start, end] = node.range ?? [0, 0];
  return { start, end: Math.max(end, start + 1) };
}

/** Top-level `def name(`, `async def name(`, `name = ...` or an import binding the name. */
export function definesFunction(source: string, name: string): boolean {
  const n = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return (
    new RegExp(`^(?:async\\s+)?def\\s+${n}\\s*\\(`, 'm').test(source) ||
    new RegExp(`^${n}\\s*(?::[^=\\n]*)?=`, 'm').test(source) ||
    new RegExp(`^from\\s+\\S+\\s+import\\s+(?:\\(?[^\\n]*\\b)${n}\\b`, 'm').test(source)
  );
}

/** Checks spec text; problems that stop the text from parsing are left to the schema validation. */
export function checkSpec(text: string, ctx: CheckContext): SpecCheckIssue[] {
  const doc = parseDocument(text, { prettyErrors: false });
  if (doc.errors.length > 0 || !isMap(doc.contents)) return [];
  const root = doc.contents;
  const issues: SpecCheckIssue[] = [];
  const add = (f: Field, code: SpecCheckIssue['code'], severity: SpecCheckIssue['severity'], message: string) =>
    issues.push({ message, severity, code, ...range(f.node) });

  const script = field(root, 'script');
  if (script && typeof script.value === 'string' && script.value.length > 0) {
    const path = ctx.join(ctx.specDir, script.value);
    if (!ctx.files.isFile(path)) add(script, 'script-missing', 'error', `Script file not found: ${path}`);
  }

  const objective = field(root, 'objective');
  if (objective && typeof objective.value === 'string' && /^[\w.]+:\w+$/.test(objective.value)) {
    const [module, func] = objective.value.split(':');
    const base = ctx.join(ctx.specDir, ...module.split('.'));
    const file = [`${base}.py`, ctx.join(base, '__init__.py')].find((p) => ctx.files.isFile(p));
    if (!file) {
      add(
        objective,
        'module-missing',
        'error',
        `Objective module '${module}' not found: expected ${base}.py next to the spec`,
      );
    } else {
      const source = ctx.files.read(file);
      if (source !== undefined && !definesFunction(source, func)) {
        add(
          objective,
          'objective-missing',
          'error',
          `Objective function '${func}' not found in ${file}: define \`def ${func}(params):\` at module level`,
        );
      }
    }
  }

  const data = field(root, 'data');
  if (data && typeof data.value === 'string' && data.value.length > 0) {
    const path = ctx.join(ctx.specDir, data.value);
    if (!ctx.files.isFile(path)) add(data, 'data-missing', 'warning', `Data file not found: ${path}`);
  }

  issues.push(...pythonNones(root));

  const resources = field(root, 'resources');
  const machine = formatBytes(ctx.totalMemoryBytes);
  for (const [key, code, severity] of [
    ['memoryPerTrial', 'memory-too-large', 'error'],
    ['memoryBudget', 'budget-too-large', 'warning'],
  ] as const) {
    const f = resources && field(resources.node, key);
    if (!f || f.value === 'auto' || (typeof f.value !== 'string' && typeof f.value !== 'number')) continue;
    const bytes = parseBytes(f.value);
    if (bytes === undefined || ctx.totalMemoryBytes <= 0 || bytes <= ctx.totalMemoryBytes) continue;
    const message =
      key === 'memoryPerTrial'
        ? `memoryPerTrial ${formatBytes(bytes)} is more than this machine's ${machine} of memory: not even one trial would fit`
        : `memoryBudget ${formatBytes(bytes)} is more than this machine's ${machine} of memory: the budget can never be the limit`;
    add(f, code, severity, message);
  }
  return issues;
}

/**
 * `None` written unquoted in params: YAML reads it as the string 'None', which the trial receives
 * instead of Python's None (`max_depth: [None, 5]`). A quoted "None" is taken as meant.
 */
function pythonNones(root: Node): SpecCheckIssue[] {
  const params = field(root, 'params')?.node;
  if (!isMap(params)) return [];
  const issues: SpecCheckIssue[] = [];
  const check = (node: unknown) => {
    if (isScalar(node) && node.type === Scalar.PLAIN && node.value === 'None') {
      issues.push({
        message: "`None` here is the string 'None' in YAML, not Python's None: write `null` (the trial then gets None)",
        severity: 'warning',
        code: 'python-none',
        ...range(node),
      });
    }
  };
  for (const pair of params.items) {
    const value = pair.value;
    const choice = isMap(value)
      ? value.items.find((p) => isScalar(p.key) && p.key.value === 'choice')?.value
      : undefined;
    const list = isSeq(value) ? value : isSeq(choice) ? choice : undefined;
    if (list) list.items.forEach(check);
    else check(value);
  }
  return issues;
}
export { specCompletions, specHover, type SpecCompletion, type SpecHover } from './specSchemaHelp';
