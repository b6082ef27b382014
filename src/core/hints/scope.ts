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

type Found = { node: Node; kind: 'assign' | 'other' };

const BINDERS = new Set([
  'assignment',
  'augmented_assignment',
  'for_statement',
  'global_statement',
  'nonlocal_statement',
  'named_expression',
  'as_pattern',
  'aliased_import',
  'import_from_statement',
  'import_statement',
]);

const within = (inner: Node, outer: Node | null) =>
  !!outer && inner.startIndex >= outer.startIndex && inner.endIndex <= outer.endIndex;

/** The statement that binds `identifier`, when this occurrence is a binding (a target, not a use). */
function bindingAt(identifier: Node): Found | undefined {
  let n: Node | null = identifier.parent;
  for (let depth = 0; n && depth < 6; depth++, n = n.parent) {
    if (!BINDERS.has(n.type)) continue;
    switch (n.type) {
      case 'assignment': {
        const left = n.childForFieldName('left');
        if (left?.id === identifier.id) return { node: n, kind: 'assign' };
        return within(identifier, left) ? { node: n, kind: 'other' } : undefined; // `a, DATA = ...`
      }
      case 'augmented_assignment':
      case 'for_statement':
        return within(identifier, n.childForFieldName('left')) ? { node: n, kind: 'other' } : undefined;
      case 'named_expression':
        return n.childForFieldName('name')?.id === identifier.id ? { node: n, kind: 'other' } : undefined;
      case 'as_pattern':
        return within(identifier, n.childForFieldName('alias')) ? { node: n, kind: 'other' } : undefined;
      case 'aliased_import':
        return n.childForFieldName('alias')?.id === identifier.id ? { node: n, kind: 'other' } : undefined;
      default:
        // global/nonlocal NAME; `import NAME`, `from m import NAME`: the name itself (not the module).
        return n.type === 'import_from_statement' && within(identifier, n.childForFieldName('module_name'))
          ? undefined
          : { node: n, kind: 'other' };
    }
  }
  return undefined;
}

/** Per parsed tree: its text (read from WebAssembly once) and the bindings of each name asked for. */
const perTree = new WeakMap<object, { text: string; names: Map<string, Found[]> }>();

/**
 * Every binding of `name` in the file, in source order. Found from the name's occurrences in the
 * text, confirmed in the tree: a walk over every node costs tens of milliseconds per name in a
 * 2,000-line file, this costs O(occurrences).
 */
function bindingsOf(root: Node, name: string): Found[] {
  let entry = perTree.get(root.tree);
  if (!entry) perTree.set(root.tree, (entry = { text: root.text, names: new Map() }));
  const known = entry.names.get(name);
  if (known) return known;
  const found: Found[] = [];
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const match of entry.text.matchAll(new RegExp(`(?<![\\w.])${escaped}(?!\\w)`, 'g'))) {
    const identifier = root.descendantForIndex(match.index, match.index + name.length);
    if (identifier?.type !== 'identifier' || identifier.text !== name) continue;
    const binding = bindingAt(identifier);
    if (binding && !found.some((f) => f.node.id === binding.node.id)) found.push(binding);
  }
  entry.names.set(name, found);
  return found;
}

/** Every binding of `name` directly in `scope` (not in nested functions or class bodies), in source order. */
function bindingsIn(scope: Node, name: string): Found[] {
  return bindingsOf(scope.tree.rootNode, name).filter((b) => ownerOf(b.node).id === scope.id);
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
