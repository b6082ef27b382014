/**
 * Reads a script's scikit-learn search — `GridSearchCV(estimator, grid, cv=5, scoring="roc_auc")`
 * and its randomized and halving siblings — statically: the estimator's class, the grid or the
 * distributions (through variables, `range(...)` and scipy.stats' randint/uniform/loguniform), cv,
 * scoring, n_iter and random_state. "New Tuning Spec" turns it into a spec; anything it cannot read
 * is named, never guessed.
 */
import type { Node, Tree } from 'web-tree-sitter';
import { evalLiteral, isDict } from './literals';
import { bindingOf } from './scope';
import type { LiteralValue } from './types';

export type SearchKind = 'grid' | 'random' | 'halving-grid' | 'halving-random';

const CLASSES: Record<string, SearchKind> = {
  GridSearchCV: 'grid',
  RandomizedSearchCV: 'random',
  HalvingGridSearchCV: 'halving-grid',
  HalvingRandomSearchCV: 'halving-random',
};

export type Scalar = string | number | boolean | null;

/** One axis of the search space, in the spec's terms. */
export type SearchParam =
  | {
      kind: 'values';
      values: Scalar[];
      /** Python floats with an integral value (`1.0`), by index. */ floats: number[];
    }
  | { kind: 'int'; low: number; high: number }
  | { kind: 'uniform'; low: number; high: number }
  | { kind: 'loguniform'; low: number; high: number };

export interface SearchCall {
  className: string;
  kind: SearchKind;
  /** The estimator expression as written (`RandomForestClassifier(random_state=0)`, `model`). */
  estimatorText: string;
  /** The class it builds, followed through a variable: `RandomForestClassifier`, `Pipeline`. */
  estimatorClass?: string;
  /** A pipeline's last step's class (what decides the default scorer). */
  finalClass?: string;
  /** The search space; empty when it could not be read (see problems). */
  params: Record<string, SearchParam>;
  /** Literal `scoring=` (a scorer name); null when absent (the estimator's own score). */
  scoring: string | null;
  /** `scoring=` as written when it is not a plain name (a callable, a list, a dict). */
  scoringText?: string;
  /** `refit="name"` with multi-metric scoring. */
  refit?: string;
  cv?: number;
  cvText?: string;
  nIter?: number;
  randomState?: number;
  factor?: number;
  /** What could not be read, in words, for the spec's comments. */
  problems: string[];
  start: number;
}

const short = (node: Node) => {
  const text = node.text.replace(/\s+/g, ' ');
  return text.length > 60 ? text.slice(0, 59) + '…' : text;
};

/** Follows a name to the expression it holds (up to a few hops). */
function follow(node: Node): Node {
  let n = node;
  for (let i = 0; i < 4 && n.type === 'identifier'; i++) {
    const b = bindingOf(n);
    if (b.found !== 'value') break;
    n = b.value;
  }
  return n;
}

const calleeName = (call: Node): string | undefined => {
  const fn = call.childForFieldName('function');
  if (fn?.type === 'identifier') return fn.text;
  if (fn?.type === 'attribute') return fn.childForFieldName('attribute')?.text;
  return undefined;
};

interface Args {
  positional: Node[];
  keywords: Map<string, Node>;
}

function argsOf(call: Node): Args {
  const out: Args = { positional: [], keywords: new Map() };
  for (const child of call.childForFieldName('arguments')?.namedChildren ?? []) {
    if (!child || child.type === 'comment') continue;
    if (child.type === 'keyword_argument') {
      const name = child.childForFieldName('name')?.text;
      const value = child.childForFieldName('value');
      if (name && value) out.keywords.set(name, value);
    } else out.positional.push(child);
  }
  return out;
}

const literalOf = (node: Node | undefined): LiteralValue | undefined => (node ? evalLiteral(follow(node)) : undefined);

const isScalar = (v: LiteralValue): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A list of values: a literal list/tuple, `range(...)`, or `list(range(...))`. */
function valuesOf(node: Node, name: string, problems: string[]): SearchParam | undefined {
  const n = follow(node);
  if (n.type === 'call' && calleeName(n) === 'list') {
    const inner = argsOf(n).positional[0];
    return inner ? valuesOf(inner, name, problems) : undefined;
  }
  if (n.type === 'call' && calleeName(n) === 'range') {
    const bounds = argsOf(n).positional.map((a) => literalOf(a));
    if (bounds.length >= 1 && bounds.length <= 3 && bounds.every((b) => typeof b === 'number' && Number.isInteger(b))) {
      const [start, stop, step] = (bounds.length === 1 ? [0, bounds[0], 1] : [...bounds, 1]) as number[];
      const values: number[] = [];
      for (let v = start; step > 0 ? v < stop : v > stop; v += step) values.push(v);
      if (step !== 0 && values.length > 0 && values.length <= 10_000) return { kind: 'values', values, floats: [] };
    }
    problems.push(`'${name}': \`${short(n)}\` is not a range Headroom can list`);
    return undefined;
  }
  if (n.type === 'list' || n.type === 'tuple') {
    const items = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    const values: Scalar[] = [];
    const floats: number[] = [];
    for (const [i, item] of items.entries()) {
      const v = literalOf(item);
      if (v === undefined || !isScalar(v)) {
        problems.push(`'${name}': the value \`${short(item)}\` is not a plain number, string, bool or None`);
        return undefined;
      }
      if (typeof v === 'number' && Number.isInteger(v) && follow(item).type === 'float') floats.push(i);
      values.push(v);
    }
    if (values.length === 0) {
      problems.push(`'${name}' has no values`);
      return undefined;
    }
    return { kind: 'values', values, floats };
  }
  return distributionOf(n, name, problems);
}

/** scipy.stats randint / uniform / loguniform (reciprocal) with literal arguments. */
function distributionOf(n: Node, name: string, problems: string[]): SearchParam | undefined {
  const fn = n.type === 'call' ? calleeName(n) : undefined;
  const args = n.type === 'call' ? argsOf(n) : undefined;
  const numbers = (names: string[]): number[] | undefined => {
    const out: number[] = [];
    for (const [i, key] of names.entries()) {
      const node = args?.positional[i] ?? args?.keywords.get(key);
      const v = node ? literalOf(node) : undefined;
      if (typeof v !== 'number') return undefined;
      out.push(v);
    }
    return out;
  };
  if (fn === 'randint') {
    const b = numbers(['low', 'high']);
    if (b && Number.isInteger(b[0]) && Number.isInteger(b[1]) && b[1] - 1 > b[0])
      return { kind: 'int', low: b[0], high: b[1] - 1 }; // scipy's high is exclusive, the spec's inclusive
  } else if (fn === 'uniform') {
    const b =
      numbers(['loc', 'scale']) ?? (args?.positional.length === 0 && args.keywords.size === 0 ? [0, 1] : undefined);
    if (b && b[1] > 0) return { kind: 'uniform', low: b[0], high: b[0] + b[1] }; // scipy: [loc, loc + scale]
  } else if (fn === 'loguniform' || fn === 'reciprocal') {
    const b = numbers(['a', 'b']);
    if (b && b[0] > 0 && b[1] > b[0]) return { kind: 'loguniform', low: b[0], high: b[1] };
  }
  problems.push(`'${name}': \`${short(n)}\` is not a list of values or a distribution Headroom can read`);
  return undefined;
}

function spaceOf(node: Node, problems: string[]): Record<string, SearchParam> {
  let n = follow(node);
  if (n.type === 'list') {
    const grids = n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
    if (grids.length > 1)
      problems.push(`the search has ${grids.length} grids; the spec holds the first (make a spec per grid)`);
    if (!grids[0]) return {};
    n = follow(grids[0]);
  }
  const out: Record<string, SearchParam> = {};
  if (n.type === 'call' && calleeName(n) === 'dict') {
    for (const [name, value] of argsOf(n).keywords) {
      const param = valuesOf(value, name, problems);
      if (param) out[name] = param;
    }
    return out;
  }
  if (n.type !== 'dictionary') {
    problems.push(`the search space \`${short(n)}\` is not a dict Headroom can read`);
    return out;
  }
  for (const pair of n.namedChildren) {
    if (!pair || pair.type === 'comment') continue;
    const key = pair.type === 'pair' ? pair.childForFieldName('key') : null;
    const value = pair.childForFieldName('value');
    const name = key ? evalLiteral(follow(key)) : undefined;
    if (typeof name !== 'string' || !value) {
      problems.push(`the entry \`${short(pair)}\` of the search space has no plain name`);
      continue;
    }
    const param = valuesOf(value, name, problems);
    if (param) out[name] = param;
  }
  return out;
}

function int(node: Node | undefined): number | undefined {
  const v = literalOf(node);
  return typeof v === 'number' && Number.isInteger(v) ? v : undefined;
}

/** The searches in a parsed script, in source order (the first that is fitted is the usual one). */
export function findSearches(tree: Tree): SearchCall[] {
  const out: SearchCall[] = [];
  for (const call of tree.rootNode.descendantsOfType('call')) {
    const className = call ? calleeName(call) : undefined;
    if (!call || !className || !(className in CLASSES)) continue;
    const args = argsOf(call);
    const problems: string[] = [];
    const estimatorNode = args.positional[0] ?? args.keywords.get('estimator');
    const spaceNode = args.positional[1] ?? args.keywords.get('param_grid') ?? args.keywords.get('param_distributions');
    const estimator = estimatorNode ? follow(estimatorNode) : undefined;
    const scoringNode = args.keywords.get('scoring');
    const scoring = literalOf(scoringNode);
    const cvNode = args.keywords.get('cv');
    const search: SearchCall = {
      className,
      kind: CLASSES[className],
      estimatorText: estimatorNode ? short(estimatorNode) : '',
      estimatorClass: estimator?.type === 'call' ? calleeName(estimator) : undefined,
      finalClass: estimator ? finalStepClass(estimator) : undefined,
      params: spaceNode ? spaceOf(spaceNode, problems) : {},
      scoring: typeof scoring === 'string' ? scoring : null,
      cv: int(cvNode),
      nIter: int(args.keywords.get('n_iter')),
      randomState: int(args.keywords.get('random_state')),
      factor: int(args.keywords.get('factor')),
      problems,
      start: call.startIndex,
    };
    if (!spaceNode) problems.push(`${className} has no search space argument`);
    if (scoringNode && typeof scoring !== 'string' && scoring !== null) {
      search.scoringText = short(scoringNode);
      const refit = literalOf(args.keywords.get('refit'));
      if (typeof refit === 'string') search.refit = refit;
      else if (Array.isArray(scoring) || isDict(scoring) || scoring === undefined)
        problems.push(`scoring=${short(scoringNode)} is not one scorer name; the metric is named 'score'`);
    }
    if (cvNode && search.cv === undefined) search.cvText = short(cvNode);
    out.push(search);
  }
  return out;
}

/** The class of an estimator, or of a Pipeline's / make_pipeline's last step. */
function finalStepClass(estimator: Node): string | undefined {
  if (estimator.type !== 'call') return undefined;
  const name = calleeName(estimator);
  const args = argsOf(estimator);
  let last: Node | undefined;
  if (name === 'make_pipeline') last = args.positional[args.positional.length - 1];
  else if (name === 'Pipeline') {
    const steps = follow(args.positional[0] ?? args.keywords.get('steps') ?? estimator);
    const items =
      steps.type === 'list' ? steps.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment') : [];
    const step = items.length ? follow(items[items.length - 1]) : undefined;
    last =
      step?.type === 'tuple' ? step.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment')[1] : undefined;
  } else return name;
  return last ? finalStepClass(follow(last)) : undefined;
}

/** scikit-learn's default scorer of an estimator class: accuracy for classifiers, R² for regressors. */
export function defaultMetric(estimatorClass: string | undefined): string {
  if (!estimatorClass) return 'score';
  if (/Classifier(CV)?$|^(LogisticRegression|SVC|LinearSVC|NuSVC|GaussianNB|MultinomialNB)/.test(estimatorClass))
    return 'accuracy';
  if (/Regressor(CV)?$|^(LinearRegression|Ridge|Lasso|ElasticNet|SVR|LinearSVR)/.test(estimatorClass)) return 'r2';
  return 'score';
}
