/**
 * The best candidate of a scikit-learn search recorded by headroom_runtime's joblib backend, as the
 * search itself picks it: each record is one (candidate, fold) task (`c003-f2`, `r1-c003-f2` for a
 * halving round), and best_params_ is the candidate with the best mean test score over its folds (in
 * the last round for halving; ties to the first candidate). A single fold's score is not the search's
 * best, and `fold` is not one of its params.
 */
import type { RunBest } from './events';
import type { TrialRecord } from './runFiles';

const TASK_ID = /^((?:r\d+-)?c(\d+))-f\d+$/;

/** Null when the records are not (candidate, fold) tasks (a plain joblib.Parallel) or none has finished. */
export function candidateBest(latest: Iterable<TrialRecord>, mode: 'max' | 'min'): RunBest | null {
  const groups = new Map<string, { index: number; rung: number; records: TrialRecord[]; failed: boolean }>();
  for (const r of latest) {
    const m = TASK_ID.exec(r.trialId);
    if (!m) return null;
    let group = groups.get(m[1]);
    if (!group) groups.set(m[1], (group = { index: Number(m[2]), rung: r.rung, records: [], failed: false }));
    // A failed fold makes the candidate's mean NaN in scikit-learn (error_score=nan): it cannot be best.
    if (r.status === 'failed' || r.status === 'timeout') group.failed = true;
    else if ((r.status === 'done' || r.status === 'cached') && r.value !== null) group.records.push(r);
  }
  const scored = [...groups.entries()].filter(([, g]) => !g.failed && g.records.length > 0);
  if (scored.length === 0) return null;
  const lastRung = Math.max(...scored.map(([, g]) => g.rung));
  let best: RunBest | null = null;
  let bestIndex = Infinity;
  for (const [id, g] of scored) {
    if (g.rung !== lastRung) continue;
    const value = g.records.reduce((sum, r) => sum + r.value!, 0) / g.records.length;
    const better = !best || (mode === 'max' ? value > best.value : value < best.value);
    if (better || (value === best!.value && g.index < bestIndex)) {
      const { fold: _fold, ...params } = g.records[0].params;
      best = { trialId: id, params, metrics: { folds: g.records.length }, value };
      bestIndex = g.index;
    }
  }
  return best;
}
