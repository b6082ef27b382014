/**
 * Hover and completion for NAME.tune.yaml from the spec's JSON Schema, inside Headroom (no YAML
 * extension needed). The place in the document is found from indentation, line by line, so it also
 * works while the spec is half-typed and does not parse.
 */
import { TUNE_SCHEMA as schema } from '../tuning/specSchema';

interface SchemaNode {
  description?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  items?: SchemaNode;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  $ref?: string;
  required?: string[];
}

const root = schema as unknown as SchemaNode & { definitions: Record<string, SchemaNode> };

function deref(node: SchemaNode | undefined): SchemaNode | undefined {
  if (!node?.$ref) return node;
  return root.definitions[node.$ref.replace('#/definitions/', '')];
}

/** The schema of the value at `path` (keys from the top), or undefined outside the schema. */
export function schemaAt(path: string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const key of path) {
    const n: SchemaNode | undefined = deref(node);
    if (!n) return undefined;
    const fromAlternatives = [...(n.anyOf ?? []), ...(n.oneOf ?? [])].map(deref).find((alt) => alt?.properties?.[key]);
    node =
      n.properties?.[key] ??
      fromAlternatives?.properties?.[key] ??
      (typeof n.additionalProperties === 'object' ? n.additionalProperties : undefined);
  }
  return deref(node);
}

/** The alternatives of a node, flattened (anyOf / oneOf), each dereferenced. */
const alternatives = (node: SchemaNode): SchemaNode[] =>
  node.anyOf || node.oneOf
    ? [...(node.anyOf ?? []), ...(node.oneOf ?? [])].flatMap((a) => alternatives(deref(a)!))
    : [node];

const KEY_LINE = /^(\s*)(?:-\s+)?("[^"]*"|'[^']*'|[^\s#:"'][^:#]*?)\s*:(?=\s|$)(.*)$/;

interface LineKey {
  indent: number;
  key: string;
  /** Text after the colon. */
  rest: string;
  keyStart: number;
  keyEnd: number;
}

function lineKey(line: string): LineKey | undefined {
  const m = KEY_LINE.exec(line);
  if (!m) return undefined;
  const keyStart = line.indexOf(m[2], m[1].length);
  return {
    indent: m[1].length,
    key: m[2].replace(/^["'](.*)["']$/, '$1'),
    rest: m[3],
    keyStart,
    keyEnd: keyStart + m[2].length,
  };
}

const indentOf = (line: string) => /^\s*/.exec(line)![0].length;
const isBlank = (line: string) => /^\s*(#.*)?$/.test(line);

/** The keys of the mappings that hold a line at `indent`, outermost first. */
function parentPath(lines: string[], lineIndex: number, indent: number): string[] {
  const path: string[] = [];
  let limit = indent;
  for (let i = lineIndex - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i];
    if (isBlank(line)) continue;
    const n = indentOf(line);
    if (n >= limit) continue;
    const k = lineKey(line);
    if (!k || k.rest.replace(/#.*$/, '').trim() !== '') return path; // not a mapping key opening a block
    path.unshift(k.key);
    limit = n;
  }
  return path;
}

/** Sibling keys already written in the block that holds a line at `indent`. */
function siblingKeys(lines: string[], lineIndex: number, indent: number): Set<string> {
  const keys = new Set<string>();
  for (const direction of [-1, 1]) {
    for (let i = lineIndex + direction; i >= 0 && i < lines.length; i += direction) {
      const line = lines[i];
      if (isBlank(line)) continue;
      const n = indentOf(line);
      if (n < indent) break;
      const k = n === indent ? lineKey(line) : undefined;
      if (k) keys.add(k.key);
    }
  }
  return keys;
}

const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function allowed(node: SchemaNode): string[] {
  const out: string[] = [];
  for (const alt of alternatives(node)) {
    if (alt.enum) out.push(...alt.enum.map(show));
    else if (alt.const !== undefined) out.push(show(alt.const));
    else if (alt.type) {
      const types = Array.isArray(alt.type) ? alt.type : [alt.type];
      const bounds =
        alt.minimum !== undefined || alt.maximum !== undefined
          ? ` (${alt.minimum ?? '…'} to ${alt.maximum ?? '…'})`
          : '';
      if (alt.properties) out.push(`{${Object.keys(alt.properties).join(', ')}: …}`);
      else out.push(types.join(' | ') + bounds);
    }
  }
  return [...new Set(out)];
}

/** Markdown for one field: its description, what it takes, its default. */
export function fieldMarkdown(key: string, node: SchemaNode, required = false): string {
  const lines = [`**${key}**${required ? ' (required)' : ''}`, ''];
  if (node.description) lines.push(node.description, '');
  const values = allowed(node);
  if (values.length) lines.push(`Takes: ${values.map((v) => `\`${v}\``).join(', ')}`);
  if (node.default !== undefined) lines.push('', `Default: \`${show(node.default)}\``);
  return lines.join('\n').trim();
}

export interface SpecHover {
  markdown: string;
  /** Character offsets of the key hovered, in the document. */
  start: number;
  end: number;
}

const offsetOfLine = (lines: string[], line: number) => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);

/** Hover for the key under `offset` (the spec's own fields, and a param's name). */
export function specHover(text: string, offset: number): SpecHover | undefined {
  const lines = text.split('\n');
  let lineIndex = 0;
  for (let start = 0; lineIndex < lines.length - 1 && start + lines[lineIndex].length < offset; lineIndex++)
    start += lines[lineIndex].length + 1;
  const line = lines[lineIndex];
  const column = offset - offsetOfLine(lines, lineIndex);
  const k = lineKey(line);
  if (!k || column < k.keyStart || column > k.keyEnd) return undefined;
  const parent = parentPath(lines, lineIndex, k.indent);
  const node = schemaAt([...parent, k.key]);
  if (!node) return undefined;
  const holder = schemaAt(parent);
  let markdown: string;
  if (parent.length === 1 && parent[0] === 'params') {
    markdown = [
      `**params.${k.key}**: a search axis, passed to your code as \`${k.key}\`.`,
      '',
      'A list is a grid axis (and a choice for random search). Or `{choice: [...]}`, `{uniform: [low, high]}`, `{loguniform: [low, high]}` (low > 0), `{int: [low, high]}` (both ends included).',
      '',
      "Write `null` for Python's `None` (YAML reads `None` as the string 'None').",
    ].join('\n');
  } else {
    markdown = fieldMarkdown([...parent, k.key].join('.'), node, !!holder?.required?.includes(k.key));
  }
  const base = offsetOfLine(lines, lineIndex);
  return { markdown, start: base + k.keyStart, end: base + k.keyEnd };
}

export interface SpecCompletion {
  label: string;
  /** Snippet text (VS Code snippet syntax). */
  insert: string;
  kind: 'field' | 'value';
  detail: string;
  documentation: string;
  /** Where the typed word starts (offset), so the item replaces it. */
  replaceStart: number;
}

function snippetFor(key: string, node: SchemaNode, indent: number): string {
  const alts = alternatives(node);
  const pad = ' '.repeat(indent + 2);
  if (node.properties || key === 'params' || key === 'env') return `${key}:\n${pad}$0`;
  const values = alts.flatMap((a) => (a.enum ? a.enum.map(show) : a.const !== undefined ? [show(a.const)] : []));
  if (alts.some((a) => a.type === 'boolean')) values.push('true', 'false');
  if (values.length) return `${key}: \${1|${[...new Set(values)].map((v) => v.replace(/[,|]/g, '\\$&')).join(',')}|}`;
  if (node.type === 'array') return `${key}: [$0]`;
  return `${key}: $0`;
}

/** Completion items at `offset`: the fields a mapping may still take, or the values a field takes. */
export function specCompletions(text: string, offset: number): SpecCompletion[] {
  const lines = text.slice(0, offset).split('\n');
  const lineIndex = lines.length - 1;
  const prefix = lines[lineIndex];
  const allLines = text.split('\n');
  const lineStart = offset - prefix.length;
  const keyTyping = /^(\s*)([A-Za-z_][\w-]*)?$/.exec(prefix);
  if (keyTyping) {
    const indent = keyTyping[1].length;
    const parent = parentPath(allLines, lineIndex, indent);
    const holder = schemaAt(parent);
    if (!holder?.properties) return [];
    const written = siblingKeys(allLines, lineIndex, indent);
    const typed = keyTyping[2] ?? '';
    const mode =
      parent.length === 0 && (written.has('script') ? 'script' : written.has('objective') ? 'objective' : '');
    return Object.entries(holder.properties)
      .filter(([key]) => !written.has(key) || key === typed)
      .filter(([key]) => !(mode === 'script' && key === 'objective') && !(mode === 'objective' && key === 'script'))
      .map(([key, node]) => {
        const n = deref(node)!;
        return {
          label: key,
          insert: snippetFor(key, n, indent),
          kind: 'field' as const,
          detail: holder.required?.includes(key) ? 'required' : allowed(n).join(' | '),
          documentation: fieldMarkdown([...parent, key].join('.'), n, !!holder.required?.includes(key)),
          replaceStart: lineStart + indent,
        };
      });
  }
  const valueTyping = /^(\s*)([A-Za-z_][\w-]*):\s+([^\s#]*)$/.exec(prefix);
  if (!valueTyping) return [];
  const indent = valueTyping[1].length;
  const key = valueTyping[2];
  const node = schemaAt([...parentPath(allLines, lineIndex, indent), key]);
  if (!node) return [];
  const items: SpecCompletion[] = [];
  for (const alt of alternatives(node)) {
    const values = alt.enum ?? (alt.const !== undefined ? [alt.const] : alt.type === 'boolean' ? [true, false] : []);
    for (const v of values) {
      items.push({
        label: show(v),
        insert: show(v),
        kind: 'value',
        detail: node.default !== undefined && show(node.default) === show(v) ? 'default' : key,
        documentation: node.description ?? '',
        replaceStart: offset - valueTyping[3].length,
      });
    }
  }
  return items;
}
