/**
 * Turns a spec's `params` into concrete trials: grid (every combination, in scikit-learn's
 * ParameterGrid order so ties break the same way), random (seeded, reproducible across resumes),
 * and the rung plan of successive halving.
 */
import type { ParamValue } from './runFiles';
import type { Distribution, PlannedTrial, ResolvedSpec } from './types';
import { seededRandom } from '../random';

export const DEFAULT_RANDOM_TRIALS = 20;

/** Every combination; keys sorted and the last key varying fastest, like sklearn's ParameterGrid. */
export function gridCandidates(params: Record<string, Distribution>): Record<string, ParamValue>[] {
  const keys = Object.keys(params).sort();
  let combos: Record<string, ParamValue>[] = [{}];
  for (const key of keys) {
    const d = params[key];
    const values = d.kind === 'choice' ? d.values : d.kind === 'fixed' ? [d.value] : null;
    if (!values) throw new Error(`params.${key}: grid search needs a list of values, not a ${d.kind} range`);
    combos = combos.flatMap((c) => values.map((v) => ({ ...c, [key]: v })));
  }
  return combos;
}

function draw(d: Distribution, rand: () => number): ParamValue {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'choice':
      return d.values[Math.min(d.values.length - 1, Math.floor(rand() * d.values.length))];
    case 'uniform':
      return d.low + rand() * (d.high - d.low);
    case 'loguniform':
      return Math.exp(Math.log(d.low) + rand() * (Math.log(d.high) - Math.log(d.low)));
    case 'int':
      // Both ends inclusive: {int: [1, 5]} can give 5.
      return d.low + Math.min(d.high - d.low, Math.floor(rand() * (d.high - d.low + 1)));
  }
}

export function randomCandidates(
  params: Record<string, Distribution>,
  count: number,
  seed: number,
): Record<string, ParamValue>[] {
  const rand = seededRandom(seed);
  const keys = Object.keys(params).sort();
  return Array.from({ length: count }, () => Object.fromEntries(keys.map((k) => [k, draw(params[k], rand)])));
}

export function candidatesOf(spec: ResolvedSpec): Record<string, ParamValue>[] {
  const hasRanges = Object.values(spec.params).some(
    (d) => d.kind === 'uniform' || d.kind === 'loguniform' || d.kind === 'int',
  );
  if (spec.search === 'grid' || (spec.search === 'halving' && !hasRanges && spec.trials === null))
    return gridCandidates(spec.params);
  return randomCandidates(spec.params, spec.trials ?? DEFAULT_RANDOM_TRIALS, spec.seed);
}

export const candidateId = (index: number): string => `t${String(index).padStart(4, '0')}`;

/** Successive halving as HalvingGridSearchCV(resource='n_samples', min_resources='exhaust') plans it. */
export interface HalvingRung {
  rung: number;
  /** Candidates evaluated at this rung. */
  candidates: number;
  /** Data fraction at this rung (already multiplied by the spec's `sample`). */
  fraction: number;
}

export function halvingPlan(candidates: number, factor: number, sample: number): HalvingRung[] {
  // sklearn: n_required_iterations = 1 + floor(log_factor(n_candidates)); the last rung sees all the data.
  let iterations = 1;
  while (factor ** iterations <= candidates) iterations++;
  const rungs: HalvingRung[] = [];
  let n = candidates;
  for (let r = 0; r < iterations; r++) {
    rungs.push({ rung: r, candidates: n, fraction: sample * factor ** (r - (iterations - 1)) });
    n = Math.ceil(n / factor);
  }
  return rungs;
}

/** The trials of a grid or random run, or of halving's first rung. */
export function initialTrials(spec: ResolvedSpec): PlannedTrial[] {
  const candidates = candidatesOf(spec);
  if (spec.search !== 'halving') {
    return candidates.map((params, i) => ({ trialId: candidateId(i), params, rung: 0, fraction: spec.sample }));
  }
  const [first] = halvingPlan(candidates.length, spec.factor, spec.sample);
  return candidates.map((params, i) => ({
    trialId: `r0-${candidateId(i)}`,
    params,
    rung: 0,
    fraction: first.fraction,
  }));
}

/** Number of trials the whole search runs (all rungs for halving). */
export function plannedTotal(spec: ResolvedSpec): number {
  const n = candidatesOf(spec).length;
  return spec.search === 'halving'
    ? halvingPlan(n, spec.factor, spec.sample).reduce((sum, r) => sum + r.candidates, 0)
    : n;
}

/**
 * Halving's next rung: the best ceil(n / factor) candidates of `finished` (trials of one rung,
 * failures ranked last, ties by candidate order), at the next fraction.
 */
export function promote(
  finished: { trialId: string; params: Record<string, ParamValue>; value: number | null }[],
  rung: HalvingRung,
  mode: 'max' | 'min',
): PlannedTrial[] {
  const sign = mode === 'max' ? -1 : 1;
  const ranked = [...finished]
    .map((t) => ({ ...t, candidate: t.trialId.replace(/^r\d+-/, '') }))
    .sort((a, b) => {
      if (a.value === null || b.value === null)
        return a.value === null ? (b.value === null ? a.candidate.localeCompare(b.candidate) : 1) : -1;
      return sign * (a.value - b.value) || a.candidate.localeCompare(b.candidate);
    });
  return ranked.slice(0, rung.candidates).map((t) => ({
    trialId: `r${rung.rung}-${t.candidate}`,
    params: t.params,
    rung: rung.rung,
    fraction: rung.fraction,
  }));
}

/** The trials of one rung: rung 0 from the search space, later rungs promoted from the previous rung's final records. */
export function rungTrials(
  spec: ResolvedSpec,
  rung: number,
  records: Iterable<{
    trialId: string;
    params: Record<string, ParamValue>;
    value: number | null;
    rung: number;
    final: boolean;
  }>,
): { trials: PlannedTrial[]; plan: HalvingRung[] | null } {
  const plan = spec.search === 'halving' ? halvingPlan(candidatesOf(spec).length, spec.factor, spec.sample) : null;
  if (rung === 0 || !plan) return { trials: initialTrials(spec), plan };
  const prev = [...records].filter((r) => r.rung === rung - 1 && r.final);
  return { trials: promote(prev, plan[rung], spec.mode), plan };
}
