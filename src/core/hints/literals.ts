/**
 * Evaluates Python literal expressions from the syntax tree, the way `ast.literal_eval` would, plus
 * f-strings whose every interpolation is itself a literal. Anything else yields undefined: the hint
 * then says the argument is not accounted for rather than guessing.
 */
import type { Node } from 'web-tree-sitter';
import type { LiteralValue } from './types';

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
};

/** Decodes the escapes of a non-raw Python str literal body; undefined for `\N{...}` names. */
export function decodeEscapes(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\' || i === body.length - 1) {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next in SIMPLE_ESCAPES) out += SIMPLE_ESCAPES[next];
    else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== width) return undefined;
      out += String.fromCodePoint(Number.parseInt(hex, 16));
      i += width;
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out += String.fromCodePoint(Number.parseInt(octal, 8));
      i += octal.length - 1;
    } else if (next === 'N') return undefined;
    else out += '\\' + next; // Python keeps unknown escapes as written.
  }
  return out;
}

/** Text of one f-string interpolation's expression, or undefined when it is not known statically. */
export type Interpolate = (expression: Node) => string | undefined;

const literalInterpolation: Interpolate = (expression) => {
  const value = evalLiteral(expression);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
};

/**
 * The value of one `string` node (prefixes r/f/u handled; bytes are not str and yield undefined).
 * `interpolate` evaluates f-string interpolations (by default: literals only).
 */
export function evalString(node: Node, interpolate: Interpolate = literalInterpolation): string | undefined {
  const start = node.firstChild;
  const end = node.lastChild;
  if (!start || !end || start.type !== 'string_start') return undefined;
  const prefix = start.text.replace(/['"]+$/, '').toLowerCase();
  if (prefix.includes('b')) return undefined;
  const raw = prefix.includes('r');
  let out = '';
  let cursor = start.endIndex;
  const source = node.tree.rootNode.text;
  const literalPart = (from: number, to: number): string | undefined => {
    const body = source.slice(from, to);
    if (!prefix.includes('f')) return raw ? body : decodeEscapes(body);
    const unbraced = body.replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    return raw ? unbraced : decodeEscapes(unbraced);
  };
  for (const child of node.namedChildren) {
    if (!child || child.type !== 'interpolation') continue;
    const before = literalPart(cursor, child.startIndex);
    if (before === undefined) return undefined;
    out += before;
    // `{x!r}` or `{x:>4}` change the text; only a bare literal expression is accepted.
    if (child.childForFieldName('type_conversion') || child.childForFieldName('format_specifier')) return undefined;
    const expression = child.childForFieldName('expression');
    const value = expression ? interpolate(expression) : undefined;
    if (value === undefined) return undefined;
    out += value;
    cursor = child.endIndex;
  }
  const tail = literalPart(cursor, end.startIndex);
  return tail === undefined ? undefined : out + tail;
}

function evalInteger(text: string): number | undefined {
  const clean = text.replace(/_/g, '').toLowerCase();
  if (/[jl]$/.test(clean)) return undefined;
  const match = /^0([xob])(.+)$/.exec(clean);
  const value = match ? Number.parseInt(match[2], { x: 16, o: 8, b: 2 }[match[1] as 'x' | 'o' | 'b']) : Number(clean);
  return Number.isFinite(value) ? value : undefined;
}

/** `ast.literal_eval` on a node: str, int, float, bool, None, list/tuple/set, dict. */
export function evalLiteral(node: Node): LiteralValue | undefined {
  switch (node.type) {
    case 'string':
      return evalString(node);
    case 'concatenated_string': {
      let out = '';
      for (const part of node.namedChildren) {
        const value = part ? evalString(part) : undefined;
        if (value === undefined) return undefined;
        out += value;
      }
      return out;
    }
    case 'integer':
      return evalInteger(node.text);
    case 'float': {
      if (/j$/i.test(node.text)) return undefined;
      const value = Number(node.text.replace(/_/g, ''));
      return Number.isNaN(value) ? undefined : value;
    }
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'unary_operator': {
      const operand = node.childForFieldName('argument');
      const operator = node.childForFieldName('operator')?.text;
      const value = operand ? evalLiteral(operand) : undefined;
      if (typeof value !== 'number') return undefined;
      return operator === '-' ? -value : operator === '+' ? value : undefined;
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren.filter((c) => c && c.type !== 'comment');
      return inner.length === 1 && inner[0] ? evalLiteral(inner[0]) : undefined;
    }
    case 'list':
    case 'tuple':
    case 'set': {
      const items: LiteralValue[] = [];
      for (const child of node.namedChildren) {
        if (!child || child.type === 'comment') continue;
        const value = evalLiteral(child);
        if (value === undefined) return undefined;
        items.push(value);
      }
      return items;
    }
    case 'dictionary': {
      const pairs: [LiteralValue, LiteralValue][] = [];
      for (const child of node.namedChildren) {
        if (!child || child.type === 'comment') continue;
        if (child.type !== 'pair') return undefined; // `**other` splat
        const key = child.childForFieldName('key');
        const value = child.childForFieldName('value');
        const k = key ? evalLiteral(key) : undefined;
        const v = value ? evalLiteral(value) : undefined;
        if (k === undefined || v === undefined) return undefined;
        pairs.push([k, v]);
      }
      return { dict: pairs };
    }
    default:
      return undefined;
  }
}

export function isDict(value: LiteralValue | undefined): value is { dict: [LiteralValue, LiteralValue][] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
