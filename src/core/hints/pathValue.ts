/**
 * The path a read call opens, worked out statically from the ways people build dataset paths:
 * literals, `Path(__file__).resolve().parent / "data" / "x.csv"`,
 * `os.path.join(os.path.dirname(__file__), ...)`, module-level constants, `datapath + "file.csv"`,
 * f-strings of constants, `Path.cwd()`, and names set in earlier notebook cells. A path anchored at
 * the script's folder (`__file__`) is kept apart from one relative to the working directory, since
 * the two resolve differently. Whatever depends on run time (arguments, input, loops) stays unknown,
 * with the reason.
 */
import type { Node } from 'web-tree-sitter';
import { evalString } from './literals';
import { bindingOf } from './scope';
import type { ImportTable, PathConstant } from './types';

/** Markers inside a value's text: the script file (`__file__`) and its folder. Never in real paths. */
const FILE = '\u0000file';
const DIR = '\u0000dir';
const MAX_DEPTH = 8;

export interface PathContext {
  imports: ImportTable;
  /** Names bound in earlier notebook cells. */
  outer?: Readonly<Record<string, PathConstant | null>>;
}

interface State extends PathContext {
  depth: number;
  /** The first reason a part is unknown, for the hint. */
  why?: string;
}

export type ReadPath =
  { path: string; anchor: 'script-dir' | null } | { path: null; problem: string; remote?: boolean };

const URL = /^[a-z][a-z0-9+.-]+:\/\//i;

/** Python's os.path.join / pathlib semantics: an absolute part restarts the path. */
export function joinPath(parts: string[]): string {
  let out = '';
  for (const part of parts) {
    if (part.startsWith('/') || /^[A-Za-z]:[\\/]/.test(part) || part.startsWith(FILE) || part.startsWith(DIR))
      out = part;
    else if (part === '') continue;
    else if (out === '' || out.endsWith('/') || out.endsWith('\\')) out += part;
    else out += '/' + part;
  }
  return out === '' ? '.' : out;
}

function parentOf(text: string): string {
  if (text === FILE) return DIR;
  const trimmed = text.length > 1 ? text.replace(/[\\/]+$/, '') : text;
  const last = trimmed.split(/[\\/]/).pop() ?? '';
  if (trimmed === DIR || last === '..' || last === '.' || trimmed === '') return joinPath([trimmed || '.', '..']);
  const cut = Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\'));
  if (cut < 0) return '.';
  return cut === 0 ? trimmed.slice(0, 1) : trimmed.slice(0, cut);
}

/** `pd`, `os.path`: the object of an attribute call as written. */
const dotted = (node: Node | null): string => (node ? node.text.replace(/\s+/g, '') : '');

function isOsPath(owner: string, imports: ImportTable): boolean {
  return imports.osPathModules.includes(owner) || imports.osModules.some((os) => owner === `${os}.path`);
}

function isPathClass(node: Node | null, imports: ImportTable): boolean {
  if (!node) return false;
  if (node.type === 'identifier') return imports.pathClasses.includes(node.text);
  if (node.type !== 'attribute') return false;
  const attribute = node.childForFieldName('attribute')?.text ?? '';
  return imports.pathlibModules.includes(dotted(node.childForFieldName('object'))) && /Path$/.test(attribute);
}

interface Value {
  text: string;
  /** A pathlib object (so `/` joins); a str otherwise (so `+` concatenates). */
  path: boolean;
}

const unknown = (state: State, why: string): undefined => {
  state.why ??= why;
  return undefined;
};

function positional(args: Node | null): Node[] | undefined {
  const out: Node[] = [];
  for (const child of args?.namedChildren ?? []) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'keyword_argument' || child.type === 'list_splat' || child.type === 'dictionary_splat')
      return undefined;
    out.push(child);
  }
  return out;
}

function evalAll(nodes: Node[], state: State): Value[] | undefined {
  const values: Value[] = [];
  for (const n of nodes) {
    const v = evalValue(n, state);
    if (!v) return undefined;
    values.push(v);
  }
  return values;
}

function evalCall(node: Node, state: State): Value | undefined {
  const fn = node.childForFieldName('function');
  const args = positional(node.childForFieldName('arguments'));
  if (!fn || !args) return unknown(state, `\`${short(node)}\` is not known before the code runs`);
  const { imports } = state;
  if (isPathClass(fn, imports)) {
    const parts = evalAll(args, state);
    return parts && { text: joinPath(parts.map((p) => p.text)), path: true };
  }
  if (fn.type === 'identifier' && fn.text === 'str' && args.length === 1) {
    const v = evalValue(args[0], state);
    return v && { text: v.text, path: false };
  }
  if (fn.type !== 'attribute') return unknown(state, `\`${short(node)}\` is not known before the code runs`);
  const object = fn.childForFieldName('object');
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const owner = dotted(object);
  if (isOsPath(owner, imports)) {
    const parts = evalAll(args, state);
    if (!parts) return undefined;
    if (method === 'join') return { text: joinPath(parts.map((p) => p.text)), path: false };
    if (parts.length !== 1) return unknown(state, `\`${short(node)}\` is not a path operation Headroom follows`);
    const [p] = parts;
    if (['abspath', 'realpath', 'normpath', 'expanduser'].includes(method)) return { text: p.text, path: false };
    if (method === 'dirname') return { text: parentOf(p.text), path: false };
    return unknown(state, `\`${owner}.${method}\` is not a path operation Headroom follows`);
  }
  if (imports.osModules.includes(owner)) {
    if (method === 'getcwd' && args.length === 0) return { text: '.', path: false };
    if (method === 'fspath' && args.length === 1) {
      const v = evalValue(args[0], state);
      return v && { text: v.text, path: false };
    }
  }
  if (isPathClass(object, imports)) {
    if (method === 'cwd' && args.length === 0) return { text: '.', path: true };
    if (method === 'home' && args.length === 0) return { text: '~', path: true };
  }
  const self = object ? evalValue(object, state) : undefined;
  if (!self) return undefined;
  if (!self.path) return unknown(state, `\`${short(node)}\` is not a path operation Headroom follows`);
  if (['resolve', 'absolute', 'expanduser'].includes(method) && args.length === 0) return self;
  if (method === 'as_posix' && args.length === 0) return { text: self.text, path: false };
  const parts = evalAll(args, state);
  if (!parts) return undefined;
  if (method === 'joinpath') return { text: joinPath([self.text, ...parts.map((p) => p.text)]), path: true };
  if (method === 'with_name' && parts.length === 1)
    return { text: joinPath([parentOf(self.text), parts[0].text]), path: true };
  if (method === 'with_suffix' && parts.length === 1) {
    const text = self.text.replace(/(\.[^./\\]*)?$/, parts[0].text);
    return { text, path: true };
  }
  return unknown(state, `\`${short(node)}\` is not a path operation Headroom follows`);
}

function evalValue(node: Node, state: State): Value | undefined {
  if (state.depth > MAX_DEPTH) return unknown(state, 'the path is built through too many names');
  state.depth++;
  try {
    return evalNode(node, state);
  } finally {
    state.depth--;
  }
}

function evalNode(node: Node, state: State): Value | undefined {
  switch (node.type) {
    case 'string': {
      const text = evalString(node, (expression) => evalValue(expression, state)?.text);
      return text === undefined
        ? unknown(state, `\`${short(node)}\` is not made only of literals or constants`)
        : { text, path: false };
    }
    case 'concatenated_string': {
      let text = '';
      for (const part of node.namedChildren) {
        const v = part ? evalNode(part, state) : undefined;
        if (!v) return undefined;
        text += v.text;
      }
      return { text, path: false };
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren.filter((c) => c && c.type !== 'comment');
      return inner.length === 1 && inner[0] ? evalValue(inner[0], state) : unknown(state, 'a tuple is not a path');
    }
    case 'identifier':
      return evalName(node, state);
    case 'binary_operator': {
      const operator = node.childForFieldName('operator')?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) return undefined;
      const l = evalValue(left, state);
      const r = l && evalValue(right, state);
      if (!l || !r) return undefined;
      if (operator === '/' && (l.path || r.path)) return { text: joinPath([l.text, r.text]), path: true };
      if (operator === '+' && !l.path && !r.path) return { text: l.text + r.text, path: false };
      return unknown(state, `\`${short(node)}\` is not a path Headroom can follow`);
    }
    case 'call':
      return evalCall(node, state);
    case 'attribute': {
      const object = node.childForFieldName('object');
      const attribute = node.childForFieldName('attribute')?.text;
      if (attribute === 'parent' && object) {
        const v = evalValue(object, state);
        if (v && !v.path) return unknown(state, `\`${short(node)}\`: .parent of a str`);
        return v && { text: parentOf(v.text), path: true };
      }
      return unknown(state, `\`${short(node)}\` is not known before the code runs`);
    }
    case 'subscript': {
      // `Path(__file__).parents[1]`
      const value = node.childForFieldName('value');
      const index = node.childForFieldName('subscript');
      if (value?.type === 'attribute' && value.childForFieldName('attribute')?.text === 'parents' && index) {
        const k = Number(index.text);
        const base = value.childForFieldName('object');
        const v = base && Number.isInteger(k) && k >= 0 ? evalValue(base, state) : undefined;
        if (!v || !v.path) return undefined;
        let text = v.text;
        for (let i = 0; i <= k; i++) text = parentOf(text);
        return { text, path: true };
      }
      return unknown(state, `\`${short(node)}\` is not known before the code runs`);
    }
    default:
      return unknown(state, `\`${short(node)}\` is not made only of literals or constants`);
  }
}

function evalName(node: Node, state: State): Value | undefined {
  if (node.text === '__file__') return { text: FILE, path: false };
  const binding = bindingOf(node);
  if (binding.found === 'value') return evalValue(binding.value, state);
  if (binding.found === 'unknown') return unknown(state, binding.why);
  const outer = state.outer && Object.hasOwn(state.outer, node.text) ? state.outer[node.text] : undefined;
  if (outer) return { ...outer };
  if (outer === null)
    return unknown(state, `\`${node.text}\` is set in an earlier cell to a value known only when it runs`);
  return unknown(state, `\`${node.text}\` is not assigned in this file`);
}

/** The path a read's path argument names, relative to the script's folder or the working directory. */
export function evalReadPath(node: Node, context: PathContext): ReadPath {
  const state: State = { ...context, depth: 0 };
  const value = evalValue(node, state);
  if (value) {
    const final = finalPath(value.text);
    if (final) return final;
    state.why = `\`${short(node)}\` is not a data file path`;
  }
  const remote = remotePrefix(node);
  if (remote) return { path: null, problem: `it reads a remote URL (${remote}…)`, remote: true };
  return { path: null, problem: state.why ?? `the path \`${short(node)}\` is not known before the code runs` };
}

function finalPath(text: string): ReadPath | undefined {
  if (text.startsWith(DIR)) {
    const rest = text.slice(DIR.length).replace(/^[\\/]+/, '');
    return rest.includes('\u0000') ? undefined : { path: rest || '.', anchor: 'script-dir' };
  }
  return text.includes('\u0000') ? undefined : { path: text, anchor: null };
}

/** The value of a module-level name for later notebook cells (text keeps the `__file__` markers). */
export function evalConstant(node: Node, context: PathContext): PathConstant | undefined {
  const value = evalValue(node, { ...context, depth: 0 });
  return value && { text: value.text, path: value.path };
}

/** `https://host/` when the expression starts from a URL, though its end is not known. */
function remotePrefix(node: Node): string | undefined {
  let n: Node | null = node;
  for (let i = 0; n && i < MAX_DEPTH; i++) {
    if (n.type === 'identifier') {
      const b = bindingOf(n);
      n = b.found === 'value' ? b.value : null;
      continue;
    }
    const first: Node | undefined = n.type === 'string' ? n : (n.descendantsOfType('string')[0] ?? undefined);
    if (!first) return undefined;
    const content = first.namedChildren.find((c) => c?.type === 'string_content');
    const match = content ? /^[a-z][a-z0-9+.-]+:\/\/[^/{}\s]*\/?/i.exec(content.text) : null;
    if (!match || !URL.test(match[0])) return undefined;
    // Only when the URL starts the expression, not somewhere inside it.
    return first.startIndex - n.startIndex <= 8 ? match[0] : undefined;
  }
  return undefined;
}

const short = (node: Node) => {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 40 ? text.slice(0, 39) + '…' : text;
};
