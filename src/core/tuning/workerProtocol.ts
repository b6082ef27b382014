/**
 * The tuning engine (main thread) <-> a tuning worker thread (src/workers/tuneTrial.ts), over the
 * MessagePort handed with each trial task. Pure types.
 */
import type { TrialUsageSample } from './events';

/** Engine (main thread) -> tuning worker thread, over the MessagePort handed with each trial task. */
export type TrialControlMessage =
  | { type: 'kill'; reason: 'timeout' | 'memory' | 'budget' | 'cancel' | 'prune' }
  | { type: 'pruneDecision'; prune: boolean };

/** Tuning worker thread -> engine, over the trial's MessagePort. */
export type TrialWorkerMessage =
  | { type: 'spawned'; pid: number; fresh: boolean }
  /** `wait`: the trial blocks until the engine answers with a pruneDecision. */
  | { type: 'report'; step: number; metrics: Record<string, number>; wait: boolean }
  | { type: 'usage'; usage: TrialUsageSample };
