/**
 * Which expression a name holds where it is used, found statically: the last plain assignment
 * `NAME = ...` before the use in the same function (or module), else the module-level assignment a
 * function sees when it runs. A name the code may bind otherwise (a parameter, a loop target, `+=`,
 * `global`, assignments in different branches) has no known value: the hint says so instead of
 * guessing.
 */
import type { Node } from 'web-tree-sitter';

const SCOPES = new Set(['module', 'function_definition', 'lambda']);
const BRANCHES = new Set([
  'if_statement',
  'elif_clause',
  'else_clause',
  'for_statement',
  'while_statement',
  'try_statement',
  'except_clause',
  'match_statement',
  'with_statement',
]);

/** The function, lambda or module a node runs in (class bodies run in their module, for our purpose). */
export function scopeOf(node: Node): Node {
  let n = node.parent;
  while (n && !SCOPES.has(n.type)) n = n.parent;
  return n ?? node.tree.rootNode;
}

function parameterNames(fn: Node): string[] {
  const parameters = fn.childForFieldName('parameters');
  const names: string[] = [];
  for (const p of parameters?.namedChildren ?? []) {
    if (!p) continue;
    if (p.type === 'identifier') names.push(p.text);
    else {
      const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c?.type === 'identifier');
      if (name) names.push(name.text);
    }
  }
  return names;
}

/** The function, lambda, class body or module a binding belongs to. */
function ownerOf(node: Node): Node {
  let n = node.parent;
  while (n && !SCOPES.has(n.type) && n.type !== 'class_definition') n = n.parent;
  return n ?? node.tree.rootNode;
}

/** Every binding of `name` directly in `scope` (not in nested functions or class bodies), in source order. */
function bindingsIn(scope: Node, name: string): { node: Node; kind: 'assign' | 'other' }[] {
  const out: { node: Node; kind: 'assign' | 'other' }[] = [];
  const candidates = scope.descendantsOfType([
    'assignment',
    'augmented_assignment',
    'for_statement',
    'global_statement',
    'nonlocal_statement',
    'named_expression',
    'as_pattern',
    'import_from_statement',
    'import_statement',
  ]);
  for (const node of candidates) {
    if (!node || ownerOf(node).id !== scope.id) continue;
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      if (left?.type === 'identifier' && left.text === name) out.push({ node, kind: 'assign' });
      else if (left && left.type !== 'identifier' && left.descendantsOfType('identifier').some((i) => i?.text === name))
        out.push({ node, kind: 'other' }); // `a, DATA = ...`
    } else if (node.type === 'augmented_assignment') {
      if (node.childForFieldName('left')?.text === name) out.push({ node, kind: 'other' });
    } else if (node.type === 'for_statement') {
      const left = node.childForFieldName('left');
      if (left && [left, ...left.descendantsOfType('identifier')].some((i) => i?.text === name))
        out.push({ node, kind: 'other' });
    } else if (node.type === 'named_expression') {
      if (node.childForFieldName('name')?.text === name) out.push({ node, kind: 'other' });
    } else if (node.type === 'global_statement' || node.type === 'nonlocal_statement') {
      if (node.namedChildren.some((c) => c?.text === name)) out.push({ node, kind: 'other' });
    } else if (node.type === 'as_pattern') {
      if (node.childForFieldName('alias')?.text === name) out.push({ node, kind: 'other' });
    } else if (node.namedChildren.some((c) => c?.text === name || c?.childForFieldName('alias')?.text === name)) {
      out.push({ node, kind: 'other' }); // imported under that name
    }
  }
  return out.sort((a, b) => a.node.startIndex - b.node.startIndex);
}

/** Whether `node` sits in a branch or loop of `scope` (so it may not have run). */
function isConditional(node: Node, scope: Node): boolean {
  for (let n = node.parent; n && n.id !== scope.id; n = n.parent) if (BRANCHES.has(n.type)) return true;
  return false;
}

export type Binding =
  /** The expression assigned, in the scope where it was found. */
  | { found: 'value'; value: Node }
  /** No binding in the file: the name may come from elsewhere (an earlier notebook cell). */
  | { found: 'none' }
  /** Bound in a way whose value is not known statically. */
  | { found: 'unknown'; why: string };

/** The value `identifier` holds where it is used. */
export function bindingOf(identifier: Node): Binding {
  const name = identifier.text;
  let innermost = true;
  for (let scope: Node | null = scopeOf(identifier); scope; scope = scope.parent ? scopeOf(scope) : null) {
    const all = bindingsIn(scope, name);
    const before = innermost ? all.filter((b) => b.node.startIndex < identifier.startIndex) : all;
    const last = before[before.length - 1];
    if (last) {
      if (last.kind !== 'assign') return { found: 'unknown', why: `\`${name}\` is set by \`${firstLine(last.node)}\`` };
      const assigns = before.filter((b) => b.kind === 'assign');
      if (assigns.length > 1 && assigns.some((b) => isConditional(b.node, scope))) {
        return { found: 'unknown', why: `\`${name}\` is assigned in more than one branch` };
      }
      const value = last.node.childForFieldName('right');
      if (!value) return { found: 'unknown', why: `\`${name}\` has no value` };
      if (value.type === 'assignment') {
        // `a = b = "x.csv"`: the innermost right-hand side.
        let v: Node | null = value;
        while (v?.type === 'assignment') v = v.childForFieldName('right');
        return v ? { found: 'value', value: v } : { found: 'unknown', why: `\`${name}\` has no value` };
      }
      return { found: 'value', value };
    }
    if (scope.type !== 'module' && parameterNames(scope).includes(name)) {
      const owner = scope.childForFieldName('name')?.text ?? 'lambda';
      return { found: 'unknown', why: `\`${name}\` is a parameter of \`${owner}\`` };
    }
    if (scope.type === 'module') break;
    innermost = false;
  }
  return { found: 'none' };
}

const firstLine = (node: Node) => {
  const line = node.text.split('\n')[0].replace(/\s+/g, ' ');
  return line.length > 40 ? line.slice(0, 39) + '…' : line;
};
