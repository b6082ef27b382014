/**
 * Admission on a Ray cluster: how many trials may be in flight, and why, in the cluster's words
 * ("cluster: 6 of 8 CPU slots busy; 2 trials wait for 3.1 GiB free on one node"). Ray places each
 * task on a node with num_cpus and memory free; Headroom submits only what some node can take now,
 * so its queue (and the reason) stays its own instead of vanishing into Ray's. Pure.
 */
import type { ConcurrencyBound, ConcurrencyDecision } from './events';
import type { RayNodeState } from './rayDriver';
import { formatBytes } from '../format';

export interface ClusterAdmissionInput {
  nodes: RayNodeState[];
  threadsPerTrial: number;
  /** The spec's (or --workers') fixed number of trials at once; null for auto. */
  workers: number | null;
  /** Trials submitted and not ended: their node once it is known, and the memory each asked for. */
  inFlight: { nodeId: string | null; memoryBytes: number }[];
  /** Memory the next queued trial will ask for. */
  nextMemoryBytes: number;
  queued: number;
}

export interface ClusterDecision extends ConcurrencyDecision {
  /** Whether the next queued trial may be submitted now. */
  canStart: boolean;
}

/**
 * Memory each alive node has not promised to this run's trials (unplaced ones taken from the roomiest;
 * one on a dead node holds nothing: its memory went with the node).
 */
export function freeMemoryByNode(
  nodes: RayNodeState[],
  inFlight: ClusterAdmissionInput['inFlight'],
): Map<string, number> {
  const free = new Map(nodes.filter((n) => n.alive).map((n) => [n.nodeId, n.memoryTotal]));
  for (const t of inFlight) if (t.nodeId && free.has(t.nodeId)) free.set(t.nodeId, free.get(t.nodeId)! - t.memoryBytes);
  for (const t of inFlight.filter((f) => !f.nodeId)) {
    const [roomiest] = [...free.entries()].sort((a, b) => b[1] - a[1]);
    if (roomiest) free.set(roomiest[0], roomiest[1] - t.memoryBytes);
  }
  return free;
}

/** The largest memory request any alive node can ever grant (a retry's request is capped to it). */
export function largestNodeMemory(nodes: RayNodeState[]): number {
  return Math.max(0, ...nodes.filter((n) => n.alive).map((n) => n.memoryTotal));
}

export function clusterSlots(nodes: RayNodeState[], threadsPerTrial: number): number {
  return nodes.filter((n) => n.alive).reduce((sum, n) => sum + Math.floor(n.cpuTotal / threadsPerTrial), 0);
}

export function decideCluster(input: ClusterAdmissionInput, at = Date.now()): ClusterDecision {
  const alive = input.nodes.filter((n) => n.alive);
  const cpuSlots = clusterSlots(input.nodes, input.threadsPerTrial);
  const slots = input.workers === null ? cpuSlots : Math.min(cpuSlots, input.workers);
  // A trial whose node has died holds no slot (its node's slots are gone): Ray reports it lost a few
  // seconds later and it is queued again; until then it is named apart, never counted busy.
  const aliveIds = new Set(alive.map((n) => n.nodeId));
  const onDead = input.inFlight.filter((t) => t.nodeId !== null && !aliveIds.has(t.nodeId)).length;
  const submitted = input.inFlight.length - onDead;
  // Submitted but not placed beyond the slots left (a node died after they were sent): Ray holds them.
  const busy = Math.min(submitted, slots);
  const free = freeMemoryByNode(input.nodes, input.inFlight);
  const maxFree = Math.max(0, ...free.values());
  const totalMemory = alive.reduce((sum, n) => sum + n.memoryTotal, 0);
  const need = Math.min(input.nextMemoryBytes, largestNodeMemory(input.nodes));
  const waiting = (n: number) => `${n} trial${n === 1 ? '' : 's'} wait${n === 1 ? 's' : ''}`;
  let bound: ConcurrencyBound = 'queue';
  let reason = `cluster: ${busy} of ${slots} CPU slots busy on ${alive.length} node${alive.length === 1 ? '' : 's'}`;
  let canStart = false;
  if (onDead > 0) reason += `; ${onDead} trial${onDead === 1 ? '' : 's'} on a dead node`;
  if (submitted > busy)
    reason += `; ${submitted - busy} submitted wait${submitted - busy === 1 ? 's' : ''} in Ray for a slot`;
  if (input.queued === 0) reason += '; nothing queued';
  else if (alive.length === 0) {
    bound = 'cpu';
    reason += `; ${waiting(input.queued)} for a node to join`;
  } else if (submitted >= slots) {
    bound = input.workers !== null && input.workers < cpuSlots ? 'workers' : 'cpu';
    reason += `; ${waiting(input.queued)} for a free slot (${input.threadsPerTrial} CPU${input.threadsPerTrial === 1 ? '' : 's'} each)`;
  } else if (need > maxFree) {
    bound = 'memory';
    reason += `; ${waiting(input.queued)} for ${formatBytes(need)} free on one node`;
  } else canStart = true;
  return {
    at,
    allowed: canStart ? slots : busy,
    slots,
    running: busy,
    bound,
    availableBytes: maxFree,
    perTrialBytes: need,
    budgetBytes: totalMemory,
    reason,
    canStart,
  };
}
