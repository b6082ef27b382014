/**
 * The memory guard's decision, as a pure function: when available memory falls below the critical
 * line, or the trials together outgrow the run's budget, which process goes and what happens next.
 */
import { formatBytes } from '../format';

export interface GuardTrial {
  trialId: string;
  startedAt: number;
  /** Current PSS (or RSS) of the trial's process tree. */
  currentBytes: number;
}

export type GuardAction =
  | { kind: 'none' }
  /** An idle objective worker only holds its module's data: it goes first. */
  | { kind: 'killIdle'; pid: number }
  | {
      kind: 'killTrial';
      trialId: string;
      reason: 'memory' | 'budget';
      note: string;
      requeue: boolean;
      guardLimit: number | null;
    };

export function guardDecision(input: {
  running: GuardTrial[];
  idle: Map<number, number>;
  availableBytes: number;
  criticalBytes: number;
  budgetBytes: number;
}): GuardAction {
  const newest = [...input.running].sort((a, b) => b.startedAt - a.startedAt)[0];
  if (!newest) return { kind: 'none' };
  const lowered = Math.max(1, input.running.length - 1);
  if (input.availableBytes < input.criticalBytes) {
    return {
      kind: 'killTrial',
      trialId: newest.trialId,
      reason: 'memory',
      note: `killed: memory pressure (${formatBytes(input.availableBytes)} available, below the ${formatBytes(input.criticalBytes)} critical line)`,
      requeue: true,
      guardLimit: lowered,
    };
  }
  const idle = [...input.idle.entries()];
  const used = input.running.reduce((s, r) => s + r.currentBytes, 0) + idle.reduce((s, [, b]) => s + b, 0);
  if (used <= input.budgetBytes) return { kind: 'none' };
  if (idle.length > 0) return { kind: 'killIdle', pid: idle.sort((a, b) => b[1] - a[1])[0][0] };
  if (input.running.length > 1) {
    return {
      kind: 'killTrial',
      trialId: newest.trialId,
      reason: 'budget',
      note: `killed: memory pressure (trials use ${formatBytes(used)}, over the ${formatBytes(input.budgetBytes)} budget)`,
      requeue: true,
      guardLimit: lowered,
    };
  }
  return {
    kind: 'killTrial',
    trialId: newest.trialId,
    reason: 'budget',
    note: `killed: needs more memory than the run's budget (${formatBytes(used)} of ${formatBytes(input.budgetBytes)}), even running alone`,
    requeue: false,
    guardLimit: null,
  };
}
