/**
 * One pass over the process table (/proc) for the memory-by-owner split. Each crawl reads every
 * process's `stat` once (pid, parent, session, state, start time, RSS); command lines, executables
 * and the few environment variables attribution needs are read once per program and kept under
 * pid + start time + command name: a reused pid never inherits another process's identity, and a
 * process that execs another program (a pyenv shim running Python, `exec python` in a script)
 * keeps its pid and start time but gets a new command name, so the new program is read. PSS comes
 * from `smaps_rollup` only for the processes asked for: the kernel walks the whole address space
 * to produce it, which costs milliseconds for a Node or Electron process (bench/owners.bench.ts).
 * A process that exits mid-crawl, a zombie, or a file this user may not read (EACCES) is skipped or
 * falls back to RSS; nothing here throws for one process.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { parseStat, procPids, rollup, type ProcInfo } from '../tuning/processTree';
import { ProcFiles, type SmallProcFile } from './procFiles';

export interface ProcRow extends ProcInfo {
  /** The command name from stat (15 characters at most). */
  comm: string;
}

/** What never changes while a process runs one program (until its next exec), read once. */
interface Identity {
  /** Whose it is, with the pid it is kept under: see sameProgram. */
  startTicks: number;
  comm: string;
  argv: string[];
  /** The command line as shown (command()), made once. */
  command?: string;
  env: Map<string, string | undefined>;
  exe?: string | null;
  cwd?: string | null;
  /** The last smaps_rollup read: PSS then, RSS then, when, and what the read cost (wall ms). */
  pss?: { bytes: number; rssAtRead: number; at: number; costMs: number };
}

export interface ProcMemory {
  bytes: number;
  /** 'pss' when smaps_rollup was read; 'rss' when it was not asked for or could not be read. */
  measure: 'pss' | 'rss';
  /**
   * PSS not read in this crawl: milliseconds since the last read. The bytes are that PSS plus the
   * RSS change since, as new pages of a process are its own.
   */
  pssAgeMs?: number;
}

/**
 * smaps_rollup makes the kernel walk a process's page tables: about 20 ms per GiB resident on a
 * loaded 2-core machine (bench/owners.bench.ts), and milliseconds for any Node or Electron process.
 * A process's PSS is read again once this many times its last read's cost has passed (0.2% of one
 * core at most) and while the crawl's budget lasts (one read over budget when nothing else was
 * read); in between, the last PSS is carried forward by the RSS change.
 */
const PSS_COST_FACTOR = 500;
const PSS_BUDGET_MS = 2;

/** Where /proc is read from; a test may wrap it to make a process vanish between two reads. */
export interface ProcSource {
  pids(): number[];
  stat(pid: number): string | undefined;
  /** RSS in bytes from /proc/<pid>/statm (sizes only, about half the cost of stat); a zombie's is 0. */
  statmRss(pid: number): number | undefined;
  cmdline(pid: number): string | undefined;
  environ(pid: number): string | undefined;
  exe(pid: number): string | undefined;
  /** The process's working folder (/proc/<pid>/cwd); undefined when unreadable (other users, gone). */
  cwd(pid: number): string | undefined;
  rollup(pid: number): { rss: number; pss: number } | undefined;
  /** Lets go of what the source keeps between crawls (open /proc descriptors); reads still work after. */
  release?(): void;
}

/**
 * Identities are kept by pid, each for one process running one program: a reused pid comes with
 * another start time, and exec changes the command name (stat's comm), not the pid or start time.
 * (One live process per pid: a number-keyed map and two comparisons, no key string per lookup.)
 */
const sameProgram = (id: Identity, row: ProcRow) => id.startTicks === row.startTicks && id.comm === row.comm;

const statBuffer = Buffer.alloc(4096);
const PAGE_BYTES = 4096;

/** stat and statm through descriptors kept open between crawls (procFiles.ts). */
const procFiles = new ProcFiles();

/** Reads a small /proc file into a shared buffer (no allocation). -1 when unreadable or gone. */
const readInto = (pid: number, file: SmallProcFile): number => procFiles.read(pid, file, statBuffer);

function readSmall(pid: number, file: SmallProcFile): string | undefined {
  const n = readInto(pid, file);
  return n < 0 ? undefined : statBuffer.toString('latin1', 0, n);
}

function readOrUndefined(path: string): string | undefined {
  try {
    return readFileSync(path, 'latin1');
  } catch {
    return undefined;
  }
}

function readLinkOrUndefined(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}

export const linuxProc: ProcSource = {
  pids() {
    const pids = procPids();
    procFiles.prune(pids);
    return pids;
  },
  stat: (pid) => readSmall(pid, 'stat'),
  statmRss(pid) {
    const n = readInto(pid, 'statm');
    if (n <= 0) return undefined;
    // "size resident shared ...": the second number, in pages, parsed from the bytes (no string).
    let i = 0;
    while (i < n && statBuffer[i] !== 32) i++;
    let pages = 0;
    for (i++; i < n && statBuffer[i] >= 48 && statBuffer[i] <= 57; i++) pages = pages * 10 + statBuffer[i] - 48;
    return pages * PAGE_BYTES;
  },
  cmdline: (pid) => readOrUndefined(`/proc/${pid}/cmdline`),
  environ: (pid) => readOrUndefined(`/proc/${pid}/environ`),
  exe: (pid) => readLinkOrUndefined(`/proc/${pid}/exe`),
  cwd: (pid) => readLinkOrUndefined(`/proc/${pid}/cwd`),
  rollup,
  release: () => procFiles.closeAll(),
};

/** The processes seen in one crawl, with cached identities and memory read on demand. */
export class ProcTable {
  readonly rows = new Map<number, ProcRow>();
  readonly children = new Map<number, ProcRow[]>();
  /** Processes whose smaps_rollup was read in this crawl, and how many of those reads failed. */
  pssReads = 0;
  pssDenied = 0;
  /** Wall time spent in smaps_rollup reads in this crawl. */
  pssSpentMs = 0;
  /** Processes attribution gave to an owner (filled by attribute()): their stat is read in full every crawl. */
  readonly attributed = new Set<number>();
  private readonly memory = new Map<number, ProcMemory>();

  constructor(
    private readonly source: ProcSource,
    private readonly identities: Map<number, Identity>,
  ) {}

  add(row: ProcRow): void {
    this.rows.set(row.pid, row);
    const siblings = this.children.get(row.ppid);
    if (siblings) siblings.push(row);
    else this.children.set(row.ppid, [row]);
  }

  private identity(row: ProcRow): Identity {
    let id = this.identities.get(row.pid);
    if (!id || !sameProgram(id, row)) {
      const raw = this.source.cmdline(row.pid) ?? '';
      const argv = raw.split('\0');
      if (argv.at(-1) === '') argv.pop();
      id = { startTicks: row.startTicks, comm: row.comm, argv, env: new Map() };
      this.identities.set(row.pid, id);
    }
    return id;
  }

  argv(row: ProcRow): string[] {
    return this.identity(row).argv;
  }

  /** The command line as shown: argv joined, or [comm] for kernel threads and processes without one. */
  command(row: ProcRow): string {
    const id = this.identity(row);
    // Some programs rewrite their argv (process.title) and pad it with spaces.
    id.command ??= id.argv.length > 0 ? id.argv.join(' ').replace(/\s+/g, ' ').trim() : `[${row.comm}]`;
    return id.command;
  }

  /** One variable of the process's initial environment; undefined when unset or unreadable (other users). */
  env(row: ProcRow, name: string): string | undefined {
    const id = this.identity(row);
    if (!id.env.has(name)) {
      const text = this.source.environ(row.pid);
      const prefix = `${name}=`;
      const entry = text?.split('\0').find((e) => e.startsWith(prefix));
      id.env.set(name, entry?.slice(prefix.length));
    }
    return id.env.get(name);
  }

  exe(row: ProcRow): string | undefined {
    const id = this.identity(row);
    if (id.exe === undefined) id.exe = this.source.exe(row.pid) ?? null;
    return id.exe ?? undefined;
  }

  /** The working folder, read once per program (a kernel's is its notebook's folder unless the user changed it). */
  cwd(row: ProcRow): string | undefined {
    const id = this.identity(row);
    if (id.cwd === undefined) id.cwd = this.source.cwd(row.pid) ?? null;
    return id.cwd ?? undefined;
  }

  /** The process's memory: PSS when `pss` and smaps_rollup is readable, else RSS from the crawl's stat. */
  memoryOf(row: ProcRow, pss: boolean): ProcMemory {
    const known = this.memory.get(row.pid);
    if (known && (known.measure === 'pss' || !pss)) return known;
    let result: ProcMemory = { bytes: row.rssBytes, measure: 'rss' };
    if (pss) {
      const id = this.identity(row);
      const last = id.pss;
      const now = Date.now();
      const due =
        !last ||
        (now - last.at >= last.costMs * PSS_COST_FACTOR &&
          (this.pssSpentMs === 0 || this.pssSpentMs + last.costMs <= PSS_BUDGET_MS));
      if (due) {
        this.pssReads++;
        const start = performance.now();
        const r = this.source.rollup(row.pid);
        const costMs = performance.now() - start;
        this.pssSpentMs += costMs;
        if (r) {
          id.pss = { bytes: r.pss, rssAtRead: r.rss, at: now, costMs };
          result = { bytes: r.pss, measure: 'pss' };
        } else this.pssDenied++;
      } else if (last) {
        const bytes = Math.max(0, last.bytes + row.rssBytes - last.rssAtRead);
        result = { bytes, measure: 'pss', pssAgeMs: now - last.at };
      }
    }
    this.memory.set(row.pid, result);
    return result;
  }
}

/**
 * How many crawls it takes to read every process's full stat at least once. In between, processes
 * seen before and attributed to no owner are read through statm (their RSS only): their parent and
 * start time are taken from the last full read. New pids and owners' processes get a full read every
 * crawl, so a reused pid of an owner's process is caught at once.
 */
const FULL_READ_EVERY = 5;

/** Crawls /proc; keeps process identities between crawls (dropping those of processes gone). */
export class ProcCrawler {
  private readonly identities = new Map<number, Identity>();
  private previous = new Map<number, ProcRow>();
  private attributed = new Set<number>();
  private crawls = 0;

  constructor(private readonly source: ProcSource = linuxProc) {}

  /** Crawling is over (the extension deactivates): the descriptors kept for the next crawl are closed. */
  dispose(): void {
    this.source.release?.();
  }

  crawl(): ProcTable {
    const table = new ProcTable(this.source, this.identities);
    const turn = this.crawls++ % FULL_READ_EVERY;
    for (const pid of this.source.pids()) {
      const known = this.previous.get(pid);
      if (known && !this.attributed.has(pid) && pid % FULL_READ_EVERY !== turn) {
        // Kernel threads hold no memory of their own: nothing to read between full reads.
        if (known.ppid === 2 || known.pid === 2) {
          table.add(known);
          continue;
        }
        const rss = this.source.statmRss(pid);
        if (rss === undefined) continue; // gone
        // Nothing resident any more where there was: exiting, or a zombie; the full read says which.
        if (rss > 0 || known.rssBytes === 0) {
          known.rssBytes = rss; // the previous crawl's rows are not used again
          table.add(known);
          continue;
        }
      }
      const text = this.source.stat(pid);
      const info = text === undefined ? undefined : parseStat(text);
      // Gone since the listing, or a zombie: it holds no memory of its own any more.
      if (!info || info.state === 'Z' || info.state === 'X' || !Number.isFinite(info.ppid)) continue;
      table.add({ ...info, comm: text!.slice(text!.indexOf('(') + 1, text!.lastIndexOf(')')) });
    }
    // Identities of processes that are gone (a reused pid gets a new start time) or that exec'd
    // another program since.
    for (const [pid, id] of this.identities) {
      const row = table.rows.get(pid);
      if (!row || !sameProgram(id, row)) this.identities.delete(pid);
    }
    this.previous = table.rows;
    this.attributed = table.attributed;
    return table;
  }
}
