/**
 * Connecting a run to its Ray cluster: which address (spec `cluster.ray`, CLI --ray, the
 * headroom.tuning.rayAddress setting, or RAY_ADDRESS for "auto"), what of the workspace ships to the
 * nodes (runtime_env working_dir without .headroom/, .git/ and a big data file), and the driver.
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, sep } from 'node:path';
import { RayDriver, type RayNodeState } from './rayDriver';
import type { ResolvedSpec } from './types';

/** Data files above this stay out of the shipped code: found at their path on a node, or shipped there once (_ray_data.py). */
export const SHIP_DATA_LIMIT_BYTES = 32 * 1024 * 1024;

/** "HOST:PORT", or "auto" read from RAY_ADDRESS; throws with what to do when "auto" finds none. */
export function resolveRayAddress(address: string, env: NodeJS.ProcessEnv = process.env): string {
  if (address !== 'auto') return address;
  const fromEnv = env.RAY_ADDRESS?.replace(/^ray:\/\//, '').trim();
  if (!fromEnv) throw new Error('cluster.ray is "auto" but RAY_ADDRESS is not set: set it to the head\'s HOST:PORT');
  return fromEnv;
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

/** Where the data file is for the trials: shipped with the code (small, inside the spec's folder) or at its own path. */
export function dataPlacement(spec: ResolvedSpec): {
  excludes: string[];
  data: { path: string; relative: string | null } | null;
} {
  const excludes = ['.headroom/', '.git/'];
  if (!spec.data) return { excludes, data: null };
  const rel = relative(spec.cwd, spec.data);
  const inside = isInside(spec.cwd, spec.data);
  const big = statSync(spec.data).size > SHIP_DATA_LIMIT_BYTES;
  if (inside && big) excludes.push('/' + rel.split(sep).join('/'));
  return { excludes, data: { path: spec.data, relative: inside && big ? rel : null } };
}

export async function connectCluster(
  spec: ResolvedSpec,
  address: string,
  runId: string,
  runtimeDir: string,
): Promise<{ driver: RayDriver; nodes: RayNodeState[]; data: ReturnType<typeof dataPlacement>['data'] }> {
  const { excludes, data } = dataPlacement(spec);
  const { driver, nodes } = await RayDriver.connect({
    python: spec.python,
    runtimeDir,
    address,
    runId,
    workingDir: spec.cwd,
    excludes,
    // Shipped with the code when small and inside the spec's folder; otherwise placed on each node by the driver.
    dataOnNodes: data && (data.relative !== null || !isInside(spec.cwd, data.path)) ? data.path : null,
  });
  return { driver, nodes, data };
}
