/**
 * Reuse of finished trials: a trial whose script (or objective module) content, with the workspace
 * modules it imports, interpreter, arguments, params, data fraction, seed and data file content match
 * a finished trial of any run in the workspace gets that trial's result instead of running again.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { ParamValue, TrialRecord } from './runFiles';
import { localModules } from './localModules';
import { listRuns, RunStore } from './runStore';
import type { ResolvedSpec } from './types';

const hashes = new Map<string, { size: number; mtimeMs: number; hash: string }>();

/** sha256 of a file's content, remembered while its size and mtime stay the same. */
export async function fileHash(path: string): Promise<string> {
  const st = statSync(path);
  const known = hashes.get(path);
  if (known && known.size === st.size && known.mtimeMs === st.mtimeMs) return known.hash;
  const hash = createHash('sha256');
  await new Promise<void>((resolve, reject) => {
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve())
      .on('error', reject);
  });
  const hex = hash.digest('hex');
  hashes.set(path, { size: st.size, mtimeMs: st.mtimeMs, hash: hex });
  return hex;
}

export interface SpecFingerprint {
  entryHash: string;
  dataHash: string | null;
}

/**
 * The content hashes a trial's result depends on. The entry's hash covers the workspace modules it
 * imports (localModules.ts) too; with none, it is the entry file's own hash.
 */
export async function fingerprint(spec: ResolvedSpec): Promise<SpecFingerprint> {
  const entry = await fileHash(spec.entryFile);
  const roots = [...new Set([dirname(spec.entryFile), spec.cwd])];
  const modules = localModules(spec.entryFile, roots);
  let entryHash = entry;
  if (modules.length > 0) {
    const parts = await Promise.all(modules.map(async (f) => [relative(spec.cwd, f), await fileHash(f)]));
    parts.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    entryHash = createHash('sha256')
      .update(JSON.stringify([entry, parts]))
      .digest('hex');
  }
  return { entryHash, dataHash: spec.data ? await fileHash(spec.data) : null };
}

function sortedParams(params: Record<string, ParamValue>): [string, ParamValue][] {
  return Object.keys(params)
    .sort()
    .map((k) => [k, params[k]]);
}

export function cacheKey(
  spec: ResolvedSpec,
  fp: SpecFingerprint,
  params: Record<string, ParamValue>,
  fraction: number,
): string {
  const material = {
    kind: spec.kind,
    entry: fp.entryHash,
    objective: spec.objective,
    python: spec.python,
    args: spec.args,
    env: Object.keys(spec.env)
      .sort()
      .map((k) => [k, spec.env[k]]),
    params: sortedParams(params),
    fraction,
    seed: spec.seed,
    data: fp.dataHash,
  };
  return createHash('sha256').update(JSON.stringify(material)).digest('hex').slice(0, 32);
}

/** Finished (`done`) trials of the workspace's runs by cache key. */
export function buildCacheIndex(workspace: string): Map<string, TrialRecord> {
  const index = new Map<string, TrialRecord>();
  for (const run of listRuns(workspace).reverse()) {
    try {
      for (const r of new RunStore(workspace, run.runId).readTrials()) {
        if (r.status === 'done' && r.final && r.cacheKey) index.set(r.cacheKey, r);
      }
    } catch {
      // unreadable run: nothing to reuse from it
    }
  }
  return index;
}
