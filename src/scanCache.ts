/**
 * The footprint service's cache policy, without VS Code (so it is tested on its own): one entry per
 * key (the service's: path, pandas model, read options), good while the file's identity (size and
 * mtime) is unchanged. An exact result answers quick requests too, and a quick one never replaces
 * it. A scan in flight is joined by a request for the same key and mode, so two faces asking at once
 * (the Datasets view's queue and a tuning run's data estimate) start one scan, not two.
 */
import type { FootprintMode } from './core/footprint/types';

interface Entry<T> {
  /** The file's identity when it was scanned. */
  fileKey: string;
  mode: FootprintMode;
  value: T;
}

interface InFlight<T> {
  mode: FootprintMode;
  signal?: AbortSignal;
  value: Promise<T>;
}

export interface ScanRequest {
  path: string;
  key: string;
  mode: FootprintMode;
  /** The requester's cancellation; a request that joined a scan cancelled this way scans itself. */
  signal?: AbortSignal;
}

export class ScanCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly inFlight = new Map<string, InFlight<T>>();

  constructor(
    /** The file's identity (e.g. size:mtime); rejects when the file is gone. */
    private readonly fileKey: (path: string) => Promise<string>,
    /** The mode a finished scan's result has (a quick request on a small file may give an exact result). */
    private readonly modeOf: (value: T) => FootprintMode,
  ) {}

  /** A cached result good for `mode` whose file has not changed since, without scanning. */
  async lookup({ path, key, mode }: Omit<ScanRequest, 'signal'>): Promise<T | undefined> {
    const entry = this.entries.get(key);
    if (!entry || (mode === 'exact' && entry.mode !== 'exact')) return undefined;
    try {
      return (await this.fileKey(path)) === entry.fileKey ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The cached result, else the one of a scan in flight for the same key and mode, else `scan()`'s.
   * `stored` is called when the result became the key's entry.
   */
  async get(request: ScanRequest, scan: () => Promise<T>, stored?: (value: T) => void): Promise<T> {
    const hit = await this.lookup(request);
    if (hit !== undefined) return hit;
    const joined = this.inFlight.get(request.key);
    if (joined && joined.mode === request.mode) {
      try {
        return await joined.value;
      } catch (error) {
        // Cancelled by its own requester: this one still wants the result.
        if (!joined.signal?.aborted || request.signal?.aborted) throw error;
      }
    }
    return this.start(request, scan, stored);
  }

  /** Forgets every entry (the pandas model changed); scans in flight finish for their requesters. */
  clear(): void {
    this.entries.clear();
  }

  private start(request: ScanRequest, scan: () => Promise<T>, stored?: (value: T) => void): Promise<T> {
    const { path, key } = request;
    const value = (async () => {
      const fileKey = await this.fileKey(path);
      const result = await scan();
      const mode = this.modeOf(result);
      const current = this.entries.get(key);
      // A quick result never replaces an exact one of the same file.
      if (!(current && current.fileKey === fileKey && current.mode === 'exact' && mode !== 'exact')) {
        this.entries.set(key, { fileKey, mode, value: result });
        stored?.(result);
      }
      return result;
    })();
    // Registered before the first await of this call, so a request arriving meanwhile joins it.
    this.inFlight.set(key, { mode: request.mode, signal: request.signal, value });
    const forget = () => {
      if (this.inFlight.get(key)?.value === value) this.inFlight.delete(key);
    };
    value.then(forget, forget);
    return value;
  }
}
