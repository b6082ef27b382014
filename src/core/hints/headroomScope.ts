/**
 * Whether a parallel call's work already runs on Headroom's memory-aware joblib backend: inside
 * `with hr.parallel():` (what the "Run memory-aware with Headroom" quick fix writes), or
 * `with joblib.parallel_backend("headroom")` / `parallel_config(backend="headroom")`. There a task
 * starts only when its memory fits, so the n_jobs memory warning no longer applies.
 */
import type { Node } from 'web-tree-sitter';
import type { ImportTable, ParallelKind } from './types';

const JOBLIB_BACKEND_FUNCTIONS = new Set(['parallel_backend', 'parallel_config']);

function stringValue(node: Node | null | undefined): string | undefined {
  if (node?.type !== 'string') return undefined;
  const content = node.namedChildren.filter((c) => c?.type === 'string_content');
  if (node.namedChildren.some((c) => c?.type === 'interpolation')) return undefined;
  return content.map((c) => c!.text).join('');
}

/** Is `call` (the value of a `with` item) one that puts the block on the headroom backend? */
function isHeadroomContext(call: Node, imports: ImportTable): boolean {
  if (call.type !== 'call') return false;
  const fn = call.childForFieldName('function');
  let owner = '';
  let name: string;
  if (fn?.type === 'identifier') name = fn.text;
  else if (fn?.type === 'attribute') {
    owner = fn.childForFieldName('object')?.text.replace(/\s+/g, '') ?? '';
    name = fn.childForFieldName('attribute')?.text ?? '';
  } else return false;
  if (
    name === 'parallel' &&
    (owner ? imports.headroomModules.includes(owner) : imports.headroomParallel.includes(name))
  )
    return true;
  const joblibBackend = owner
    ? JOBLIB_BACKEND_FUNCTIONS.has(name) && imports.joblibModules.includes(owner)
    : imports.joblibBackends.includes(name);
  if (!joblibBackend) return false;
  const args = call.childForFieldName('arguments')?.namedChildren.filter((a) => a && a.type !== 'comment') ?? [];
  const first = args[0];
  if (first && first.type !== 'keyword_argument') return stringValue(first) === 'headroom';
  const backend = args.find((a) => a?.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'backend');
  return stringValue(backend?.childForFieldName('value')) === 'headroom';
}

/** Inside the body of a `with` whose items include a headroom context? */
function underHeadroomWith(node: Node, imports: ImportTable): boolean {
  for (let n: Node | null = node, child: Node | null = null; n; child = n, n = n.parent) {
    if (n.type !== 'with_statement' || !child || child.id !== n.childForFieldName('body')?.id) continue;
    const items = n.descendantsOfType('with_item').filter((i) => i?.parent?.parent?.id === n.id);
    for (const item of items) {
      let value = item?.childForFieldName('value') ?? null;
      if (value?.type === 'as_pattern') value = value.firstNamedChild;
      if (value && isHeadroomContext(value, imports)) return true;
    }
  }
  return false;
}

/** `name.fit(...)` calls after `from` in the source, for `name = GridSearchCV(...)`. */
function fitCallsOf(root: Node, name: string, from: number): Node[] {
  const out: Node[] = [];
  for (const call of root.descendantsOfType('call')) {
    if (!call || call.startIndex < from) continue;
    const fn = call.childForFieldName('function');
    if (fn?.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'fit') continue;
    if (fn.childForFieldName('object')?.text.replace(/\s+/g, '') === name) out.push(call);
  }
  return out;
}

/**
 * The nodes that run a call's work: a search's `.fit(...)` (chained, or on the name it is assigned
 * to), else the call itself (cross_validate, `Parallel(...)(...)`). Empty when a search's fit is not
 * found in this source.
 */
function workNodes(root: Node, node: Node, kind: ParallelKind): Node[] {
  if (kind !== 'search') return [node.parent?.type === 'call' ? node.parent : node];
  const parent = node.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.text === 'fit') {
    const call = parent.parent;
    if (call?.type === 'call') return [call];
  }
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    if (left && (left.type === 'identifier' || left.type === 'attribute'))
      return fitCallsOf(root, left.text.replace(/\s+/g, ''), node.endIndex);
  }
  return [];
}

/** True when every place that runs the call's work is inside a headroom-backend `with` block. */
export function runsOnHeadroom(root: Node, node: Node, kind: ParallelKind, imports: ImportTable): boolean {
  if (kind === 'forest' || kind === 'neighbors') return false;
  if (
    imports.headroomModules.length === 0 &&
    imports.headroomParallel.length === 0 &&
    imports.joblibModules.length === 0 &&
    imports.joblibBackends.length === 0
  )
    return false;
  const work = workNodes(root, node, kind);
  return work.length > 0 && work.every((w) => underHeadroomWith(w, imports));
}
