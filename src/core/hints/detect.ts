/**
 * Finds, in a parsed Python source, the pandas reads Headroom can size and the parallel scikit-learn /
 * joblib calls whose memory it can forecast. Works on the syntax tree, so comments, strings that look
 * like calls, aliases and multi-line calls need no special cases.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { runsOnHeadroom } from './headroomScope';
import { collectImports, mergeImports, READ_FUNCTIONS } from './imports';
import { evalLiteral } from './literals';
import { evalConstant, evalReadPath, type PathContext } from './pathValue';
import { readOptionsFrom } from './readArgs';
import type {
  ImportTable,
  KeywordArg,
  NJobsArg,
  ParallelCall,
  ParallelKind,
  PathConstant,
  ReadCall,
  SourceAnalysis,
  Span,
} from './types';

const span = (node: Node): Span => ({ start: node.startIndex, end: node.endIndex });

const SEARCHES = new Set(['GridSearchCV', 'RandomizedSearchCV', 'HalvingGridSearchCV', 'HalvingRandomSearchCV']);
const CROSS_VALIDATION = new Set(['cross_val_score', 'cross_validate', 'cross_val_predict']);

function parallelKind(name: string, owner: string, imports: ImportTable): ParallelKind | undefined {
  if (SEARCHES.has(name)) return 'search';
  if (CROSS_VALIDATION.has(name)) return 'cross-validation';
  if (/^(RandomForest|ExtraTrees)(Classifier|Regressor)$/.test(name)) return 'forest';
  if (/^KNeighbors(Classifier|Regressor|Transformer)$/.test(name)) return 'neighbors';
  if (name === 'Parallel' && (owner ? imports.joblibModules.includes(owner) : imports.joblibParallel.includes(name))) {
    return 'joblib';
  }
  return undefined;
}

/** `pd.read_csv` -> ['pd', 'read_csv']; `read_csv` -> ['', 'read_csv']; anything else -> undefined. */
function calleeName(fn: Node | null): [string, string] | undefined {
  if (!fn) return undefined;
  if (fn.type === 'identifier') return ['', fn.text];
  if (fn.type === 'attribute') {
    const attribute = fn.childForFieldName('attribute');
    const object = fn.childForFieldName('object');
    if (attribute && object) return [object.text.replace(/\s+/g, ''), attribute.text];
  }
  return undefined;
}

interface Arguments {
  positional: Node[];
  keywords: KeywordArg[];
  nodes: Map<KeywordArg, Node>;
  splats: Node[];
  all: Node[];
}

function splitArguments(args: Node | null): Arguments {
  const out: Arguments = { positional: [], keywords: [], nodes: new Map(), splats: [], all: [] };
  for (const child of args?.namedChildren ?? []) {
    if (!child || child.type === 'comment') continue;
    out.all.push(child);
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name');
      const value = child.childForFieldName('value');
      if (!name || !value) continue;
      const keyword: KeywordArg = {
        name: name.text,
        span: span(child),
        valueSpan: span(value),
        value: evalLiteral(value),
      };
      out.keywords.push(keyword);
      out.nodes.set(keyword, value);
    } else if (child.type === 'list_splat' || child.type === 'dictionary_splat') out.splats.push(child);
    else out.positional.push(child);
  }
  return out;
}

function readCall(node: Node, fn: ReadCall['fn'], context: PathContext): ReadCall {
  const { imports } = context;
  const fnNode = node.childForFieldName('function')!;
  const argsNode = node.childForFieldName('arguments')!;
  const args = splitArguments(argsNode);
  const pathKeyword = args.keywords.find((k) => k.name === (fn === 'read_parquet' ? 'path' : 'filepath_or_buffer'));
  const pathNode = args.positional[0] ?? (pathKeyword ? args.nodes.get(pathKeyword) : undefined);
  const keywords = args.keywords.filter((k) => k !== pathKeyword);
  const { read, unaccounted } = readOptionsFrom(fn, keywords, args.nodes, imports);
  args.positional.slice(1).forEach((p) => unaccounted.push(`positional ${p.text.replace(/\s+/g, ' ').slice(0, 24)}`));
  args.splats.forEach((s) => unaccounted.push(s.text.replace(/\s+/g, ' ').slice(0, 24)));
  const path = pathNode ? evalReadPath(pathNode, context) : undefined;
  const call: ReadCall = {
    fn,
    span: span(node),
    calleeSpan: span(fnNode),
    argsSpan: span(argsNode),
    path: path?.path ?? null,
    pathSpan: pathNode ? span(pathNode) : null,
    read,
    unaccounted,
    keywords: args.keywords,
    positionalCount: args.positional.length,
    lastArgEnd: Math.max(argsNode.startIndex + 1, ...args.all.map((a) => a.endIndex)),
    argSpans: args.all.map(span),
  };
  if (!path) call.pathProblem = 'no path argument';
  else if (path.path === null) {
    call.pathProblem = path.problem;
    if (path.remote) call.remote = true;
  } else {
    if (path.anchor) call.pathAnchor = path.anchor;
    if (/^[a-z][a-z0-9+.-]+:\/\//i.test(path.path)) call.remote = true;
  }
  const parent = node.parent;
  if (parent?.type === 'assignment' && parent.childForFieldName('right')?.id === node.id) {
    const left = parent.childForFieldName('left');
    if (left?.type === 'identifier') call.target = left.text;
  }
  return call;
}

function nJobsOf(args: Arguments): NJobsArg | undefined {
  const keyword = args.keywords.find((k) => k.name === 'n_jobs');
  if (!keyword) return undefined;
  const v = keyword.value;
  return {
    value: typeof v === 'number' && Number.isInteger(v) ? v : v === null ? null : undefined,
    span: keyword.span,
    valueSpan: keyword.valueSpan,
  };
}

export interface AnalyzeOptions {
  /** Imports seen elsewhere (earlier notebook cells) that apply to this source. */
  imports?: ImportTable;
  /** Names set in earlier notebook cells (their str/path values; null: set to something unknown). */
  constants?: Record<string, PathConstant | null>;
  /** Work out this source's module-level constants for the cells below it (notebook cells only). */
  exportConstants?: boolean;
}

/**
 * The nodes where `pattern` matches the source text. Finding candidates in the text and confirming
 * them in the tree costs O(matches) instead of a walk over every node (a 2,000-line file has tens of
 * thousands); a match inside a comment or a string lands on a comment/string node and is dropped by
 * the callers' checks.
 */
function nodesMatching(root: Node, text: string, pattern: RegExp, group = 0): Node[] {
  const out: Node[] = [];
  for (const match of text.matchAll(pattern)) {
    const start = match.index + (group ? match[0].indexOf(match[group]) : 0);
    const node = root.descendantForIndex(start, start + match[group].length);
    if (node) out.push(node);
  }
  return out;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The call whose callee is `identifier` (`name(...)` or `owner.name(...)`), if any. */
function callOf(identifier: Node): Node | undefined {
  if (identifier.type !== 'identifier') return undefined;
  let callee = identifier;
  const parent = identifier.parent;
  if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.id === identifier.id) callee = parent;
  const call = callee.parent;
  return call?.type === 'call' && call.childForFieldName('function')?.id === callee.id ? call : undefined;
}

const PARALLEL_NAMES = [
  ...SEARCHES,
  ...CROSS_VALIDATION,
  'RandomForest\\w+',
  'ExtraTrees\\w+',
  'KNeighbors\\w+',
  'Parallel',
];

/** Everything the hints need from one source (a script or one notebook cell). */
export function analyzeTree(tree: Tree, options: AnalyzeOptions = {}): SourceAnalysis {
  const root = tree.rootNode;
  const text = root.text;
  const statements = new Map<number, Node>();
  for (const keyword of nodesMatching(root, text, /\b(?:import|from)\b/g)) {
    const statement = keyword.parent;
    if (statement && (statement.type === 'import_statement' || statement.type === 'import_from_statement')) {
      statements.set(statement.id, statement);
    }
  }
  const own = collectImports([...statements.values()]);
  const imports = options.imports ? mergeImports(options.imports, own) : own;
  const names = [...READ_FUNCTIONS, ...Object.keys(imports.readFunctions).map(escapeRegExp), ...PARALLEL_NAMES];
  const calls = new Map<number, Node>();
  for (const identifier of nodesMatching(root, text, new RegExp(`\\b(?:${names.join('|')})\\b`, 'g'))) {
    const call = callOf(identifier);
    if (call) calls.set(call.id, call);
  }
  const reads: ReadCall[] = [];
  const parallelByNode = new Map<number, ParallelCall>();
  const parallelNodes: Node[] = [];
  for (const node of calls.values()) {
    const name = calleeName(node.childForFieldName('function'));
    if (!name) continue;
    const [owner, fn] = name;
    const readFn = owner === '' ? imports.readFunctions[fn] : imports.pandasModules.includes(owner) ? fn : undefined;
    if (readFn === 'read_csv' || readFn === 'read_table' || readFn === 'read_parquet') {
      reads.push(readCall(node, readFn, { imports, outer: options.constants }));
      continue;
    }
    const kind = parallelKind(fn, owner, imports);
    if (!kind) continue;
    const args = splitArguments(node.childForFieldName('arguments'));
    const cvKeyword = args.keywords.find((k) => k.name === 'cv');
    const cv = typeof cvKeyword?.value === 'number' && Number.isInteger(cvKeyword.value) ? cvKeyword.value : undefined;
    const call: ParallelCall = {
      kind,
      name: fn,
      span: span(node),
      calleeSpan: span(node.childForFieldName('function')!),
      argsSpan: span(node.childForFieldName('arguments')!),
      nJobs: nJobsOf(args),
      cv,
      cvLiteral: cvKeyword === undefined || cv !== undefined,
      inner: [],
    };
    if (runsOnHeadroom(root, node, kind, imports)) call.onHeadroom = true;
    parallelByNode.set(node.id, call);
    parallelNodes.push(node);
  }
  linkNested(root, text, parallelNodes, parallelByNode);
  const usesNumpyArrays = nodesMatching(root, text, /\b(?:values|to_numpy)\b/g).some(
    (n) =>
      n.type === 'identifier' && n.parent?.type === 'attribute' && n.parent.childForFieldName('attribute')?.id === n.id,
  );
  const nested = new Set([...parallelByNode.values()].flatMap((p) => p.inner));
  return {
    reads,
    parallel: [...parallelByNode.values()].filter(
      (p) => !nested.has(p) || p.kind === 'search' || p.kind === 'cross-validation',
    ),
    usesNumpyArrays,
    imports,
    constants: options.exportConstants ? moduleConstants(root, { imports, outer: options.constants }) : {},
  };
}

/** `NAME = <str or path>` at module level, last assignment wins (what later notebook cells see). */
function moduleConstants(root: Node, context: PathContext): Record<string, PathConstant | null> {
  const out: Record<string, PathConstant | null> = {};
  for (const statement of root.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.firstNamedChild : null;
    const left = assignment?.type === 'assignment' ? assignment.childForFieldName('left') : null;
    const right = assignment?.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    if (!CONSTANT_TYPES.has(right.type)) {
      out[left.text] = null;
      continue;
    }
    const value = evalConstant(right, context);
    out[left.text] = value ?? null;
  }
  return out;
}

const CONSTANT_TYPES = new Set([
  'string',
  'concatenated_string',
  'binary_operator',
  'call',
  'attribute',
  'subscript',
  'identifier',
  'parenthesized_expression',
]);

/** Parallel estimators inside the arguments of a parallel search, directly or through a variable. */
function linkNested(root: Node, text: string, nodes: Node[], byNode: Map<number, ParallelCall>): void {
  const assigned = new Map<string, Node | undefined>();
  /** The value last assigned to `name` at module or function level (`rf = RandomForestClassifier(...)`). */
  const assignmentOf = (name: string): Node | undefined => {
    if (!assigned.has(name)) {
      let value: Node | undefined;
      for (const left of nodesMatching(
        root,
        text,
        new RegExp(`(?:^|[^\\w.])(${escapeRegExp(name)})\\s*=(?!=)`, 'gm'),
        1,
      )) {
        const assignment = left.parent;
        if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.id === left.id) {
          value = assignment.childForFieldName('right') ?? value;
        }
      }
      assigned.set(name, value);
    }
    return assigned.get(name);
  };
  for (const node of nodes) {
    const outer = byNode.get(node.id)!;
    if (outer.kind === 'forest' || outer.kind === 'neighbors') continue;
    // joblib: `Parallel(n_jobs=4)(delayed(f)(...) for ...)` — the work is in the enclosing call.
    const scope = outer.kind === 'joblib' && node.parent?.type === 'call' ? node.parent : node;
    const argsNode = scope.childForFieldName('arguments');
    const seen = new Set<number>([node.id]);
    const visit = (n: Node, depth: number) => {
      for (const inner of [n, ...n.descendantsOfType(['call', 'identifier'])]) {
        if (!inner || seen.has(inner.id)) continue;
        seen.add(inner.id);
        const hit = byNode.get(inner.id);
        if (hit && hit.nJobs && hit.nJobs.value !== 1 && hit.nJobs.value !== null) outer.inner.push(hit);
        const target = inner.type === 'identifier' && depth < 3 ? assignmentOf(inner.text) : undefined;
        if (target && depth < 3) visit(target, depth + 1);
      }
    };
    for (const arg of argsNode?.namedChildren ?? []) {
      if (!arg || arg.type === 'comment') continue;
      if (arg.type === 'keyword_argument' && ['n_jobs', 'cv'].includes(arg.childForFieldName('name')?.text ?? ''))
        continue;
      visit(arg, 0);
    }
  }
}
