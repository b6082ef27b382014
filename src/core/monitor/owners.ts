/**
 * Who uses the memory: groups one crawl of the process table into owners the user thinks in.
 *
 * - A Headroom run: every trial process carries HEADROOM_RUN_ID and HEADROOM_RUN_DIR in its
 *   environment (set by the tuning engine); a run is the sum of its trials' trees.
 * - A Jupyter kernel: `python -m ipykernel_launcher -f CONNECTION_FILE` and its tree, named by the
 *   notebook in JPY_SESSION_NAME, else by its connection file. Jupyter Server sets JPY_SESSION_NAME
 *   to the session's path; VS Code's Jupyter extension names the sessions it creates on a server
 *   NOTEBOOK-jvsc-UUID.ipynb (the suffix is dropped here). The kernels it starts itself get neither
 *   (`--f=RUNTIME_DIR/kernel-v2-ID.json`, no JPY_SESSION_NAME): named by their working folder (the
 *   notebook's folder by default), else by that file.
 * - A Python program started from VS Code (terminal, task, debugger): the topmost Python process
 *   below the VS Code tree, named by its script or module.
 * - VS Code itself: the tree of the VS Code installation that runs the anchors (the extension host,
 *   or every process started with --type=extensionHost), minus the owners above.
 * - Every other process on its own; the largest few are listed, the rest go to `other`.
 *
 * A process belongs to the nearest owner root above it. A process re-parented to init when its
 * parent exited still belongs to the owner whose root leads its session, provided that root is
 * older than it (a session id whose pid was reused by a newer process does not count).
 */
import { basename } from 'node:path';
import { MAX_LISTED, type MemoryMeasure, type MemoryOwner, type OwnerKind, type OwnerProcess } from './ownerTypes';
import type { ProcRow, ProcTable } from './procTable';

export interface AttributionOptions {
  /**
   * Processes of VS Code (the extension host's pid): that VS Code's tree is the `vscode` owner, other
   * VS Code instances are other processes. Without anchors, every process started with
   * --type=extensionHost anchors its VS Code.
   */
  vscodeAnchors?: number[];
  /** How many unattributed processes are listed by name before the rest go to `other`. */
  topOthers?: number;
  /** Whose memory is PSS: the run, kernel and program trees (default), all processes, or none. */
  pss?: 'owners' | 'all' | 'none';
  /** Run names by run folder (run.json's name); the run id stands in where it is missing. */
  runName?: (runDir: string, runId: string) => string | undefined;
}

interface Draft {
  id: string;
  kind: Exclude<OwnerKind, 'other' | 'free'>;
  label: string;
  detail: string;
  roots: ProcRow[];
  members: ProcRow[];
  runId?: string;
  runDir?: string;
}

const PYTHON = /^python[\d.]*m?$/;
const CMD_MAX = 240;

export function isPython(table: ProcTable, row: ProcRow): boolean {
  const argv0 = table.argv(row)[0];
  return PYTHON.test(row.comm) || (argv0 !== undefined && PYTHON.test(basename(argv0)));
}

/** The script or module a Python command line runs: `-m pkg.mod`, `-c`, a path (after debugpy's `--`). */
export function pythonTarget(argv: string[]): { name: string; args: string[] } {
  let i = 1;
  const dashDash = argv.indexOf('--');
  if (dashDash > 0 && argv.slice(1, dashDash).some((a) => /debugpy/.test(a))) i = dashDash + 1;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-m') return { name: argv[i + 1] ?? 'python -m', args: argv.slice(i + 2) };
    if (a === '-c') return { name: 'python -c', args: [] };
    if (a === '-W' || a === '-X' || a === '-Q') i++;
    else if (!a.startsWith('-')) return { name: basename(a), args: argv.slice(i + 1) };
  }
  return { name: 'python', args: [] };
}

/** The notebook a kernel's session names: VS Code's Jupyter extension adds `-jvsc-` and one or two UUIDs to make it unique. */
export function notebookName(session: string): string {
  return basename(session).replace(/-jvsc-(?:[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}){1,2}(?=\.ipynb$)/i, '');
}

function kernelConnectionFile(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '-f' || a === '--f') return argv[i + 1];
    if (a.startsWith('--f=') || a.startsWith('-f=')) return a.slice(a.indexOf('=') + 1);
  }
  return undefined;
}

function isKernel(argv: string[]): boolean {
  return argv.some((a, i) => /(^|\/)ipykernel_launcher(\.py)?$/.test(a) || (a === '-m' && argv[i + 1] === 'ipykernel'));
}

/** Python processes VS Code itself runs (language servers, the debug adapter, environment tools). */
function isVsCodeTool(argv: string[]): boolean {
  const target = argv.slice(1).find((a) => !a.startsWith('-'));
  return !!target && (/[/\\]extensions[/\\]/.test(target) || /debugpy[/\\]adapter/.test(target));
}

/** What a command line says about a process, worked out once per process (argv arrays are kept per process). */
interface Traits {
  headroom: boolean;
  kernel: boolean;
  python: boolean;
  tool: boolean;
  extensionHost: boolean;
}
const traitCache = new WeakMap<string[], Traits>();

function traits(table: ProcTable, row: ProcRow): Traits {
  const argv = table.argv(row);
  let t = traitCache.get(argv);
  if (!t) {
    t = {
      headroom: argv.some((a) => a.includes('headroom_runtime')),
      kernel: isKernel(argv),
      python: isPython(table, row),
      tool: isVsCodeTool(argv),
      extensionHost: argv.includes('--type=extensionHost'),
    };
    traitCache.set(argv, t);
  }
  return t;
}

/**
 * A process's name: its executable's file name. Chromium and Electron rewrite their argv into one
 * space-joined string ("/usr/lib/chromium/chromium --type=renderer --user-data-dir=/tmp/x"): the
 * executable is what comes before the first option. The kernel's short name when there is no argv.
 */
export function programName(argv: string[], comm: string): string {
  const first = argv[0]?.trim();
  if (!first) return comm;
  return basename(argv.length === 1 ? first.split(/\s+-/)[0] : first) || comm;
}

/**
 * The top of each VS Code installation's tree: climb from each anchor while the parent runs the same
 * executable, up to a session leader at most. A server started on its own (systemd, setsid, a
 * detached spawn) leads its session; whoever started it, even another Node program, is not VS Code.
 */
function vscodeRoots(table: ProcTable, anchors: number[]): Set<number> {
  const roots = new Set<number>();
  const starts = [...anchors];
  // Without anchors (the CLI), every VS Code on the machine is found by its extension hosts.
  if (starts.length === 0)
    for (const row of table.rows.values()) if (traits(table, row).extensionHost) starts.push(row.pid);
  for (const pid of starts) {
    let row = table.rows.get(pid);
    if (!row) continue;
    const exe = table.exe(row) ?? table.argv(row)[0];
    while (row.session !== row.pid) {
      const parent = table.rows.get(row.ppid);
      if (!parent || parent.pid <= 1) break;
      const parentExe = table.exe(parent) ?? table.argv(parent)[0];
      if (!exe || parentExe !== exe) break;
      row = parent;
    }
    roots.add(row.pid);
  }
  return roots;
}

/** Groups the table's processes into owners (without `other` and `free`, which need the sample). */
export function attribute(table: ProcTable, options: AttributionOptions = {}): MemoryOwner[] {
  const drafts = new Map<string, Draft>();
  const ownerOf = new Map<number, Draft>();
  const roots = vscodeRoots(table, options.vscodeAnchors ?? []);
  let vscode: Draft | undefined;

  const draft = (key: string, make: () => Omit<Draft, 'id' | 'roots' | 'members'>): Draft => {
    let d = drafts.get(key);
    if (!d) drafts.set(key, (d = { id: key, roots: [], members: [], ...make() }));
    return d;
  };

  /** The owner a process starts (it becomes a root of), given the owner it would inherit. */
  const starts = (row: ProcRow, inherited: Draft | undefined): Draft | undefined => {
    const argv = table.argv(row);
    const t = traits(table, row);
    if (t.headroom) {
      const runId = table.env(row, 'HEADROOM_RUN_ID');
      if (runId && inherited?.id !== `run:${runId}`) {
        const runDir = table.env(row, 'HEADROOM_RUN_DIR') ?? '';
        return draft(`run:${runId}`, () => ({
          kind: 'run',
          label: `Run "${options.runName?.(runDir, runId) ?? runId}"`,
          detail: runDir,
          runId,
          runDir,
        }));
      }
      if (runId) return undefined;
    }
    if (t.kernel && inherited?.kind !== 'kernel') {
      const session = table.env(row, 'JPY_SESSION_NAME');
      const connection = kernelConnectionFile(argv);
      const notebook = session && /\.ipynb$/i.test(session) ? session : undefined;
      return draft(`kernel:${row.pid}:${row.startTicks}`, () => {
        if (notebook) return { kind: 'kernel', label: `Kernel: ${notebookName(notebook)}`, detail: notebook };
        // Without a session name the notebook cannot be known from outside the kernel; its working
        // folder (the notebook's folder, as the Jupyter extension starts it) is the best true clue.
        const cwd = table.cwd(row);
        const how = session || (connection ? `connection file ${connection}` : table.command(row));
        return cwd
          ? { kind: 'kernel', label: `Kernel in ${basename(cwd) || cwd}/ (${row.pid})`, detail: `${cwd} · ${how}` }
          : { kind: 'kernel', label: `Kernel ${connection ? basename(connection) : row.pid}`, detail: how };
      });
    }
    if (roots.has(row.pid) && !inherited) {
      vscode ??= draft('vscode', () => ({
        kind: 'vscode',
        label: 'VS Code',
        detail: 'windows, extension hosts, language servers, terminals',
      }));
      return vscode;
    }
    if (inherited?.kind === 'vscode' && t.python && !t.tool) {
      const { name, args } = pythonTarget(argv);
      return draft(`program:${row.pid}:${row.startTicks}`, () => ({
        kind: 'program',
        label: `${name} (${row.pid})`,
        detail: args.join(' ') || table.command(row),
      }));
    }
    return undefined;
  };

  const visit = (start: ProcRow, inherited: Draft | undefined) => {
    const stack: [ProcRow, Draft | undefined][] = [[start, inherited]];
    while (stack.length > 0) {
      const [row, from] = stack.pop()!;
      if (ownerOf.has(row.pid)) continue;
      const own = starts(row, from);
      const owner = own ?? from;
      if (own) own.roots.push(row);
      if (owner) {
        ownerOf.set(row.pid, owner);
        owner.members.push(row);
      }
      for (const child of table.children.get(row.pid) ?? []) stack.push([child, owner]);
    }
  };

  const rows = [...table.rows.values()];
  for (const row of rows) if (!table.rows.has(row.ppid)) visit(row, undefined);
  // Orphans of an owner (re-parented to init or a subreaper) rejoin it through their session leader.
  for (const row of rows) {
    if (ownerOf.has(row.pid) || row.session === row.pid) continue;
    const leader = table.rows.get(row.session);
    const owner = leader && leader.startTicks <= row.startTicks ? ownerOf.get(leader.pid) : undefined;
    if (owner && owner.kind !== 'vscode' && owner.roots.includes(leader!)) {
      ownerOf.delete(row.pid);
      visit(row, owner);
    }
  }

  for (const pid of ownerOf.keys()) table.attributed.add(pid);
  const pssFor = (kind: Draft['kind']) =>
    options.pss === 'all' ||
    ((options.pss ?? 'owners') === 'owners' && (kind === 'run' || kind === 'kernel' || kind === 'program'));
  const owners = [...drafts.values()].map((d) => finish(table, d, pssFor(d.kind)));

  // Everything else, process by process (kernel threads hold no memory of their own).
  const others = largest(
    rows.filter((row) => !ownerOf.has(row.pid) && row.rssBytes > 0),
    options.topOthers ?? 5,
  );
  for (const row of others) {
    owners.push(
      finish(
        table,
        {
          id: `process:${row.pid}:${row.startTicks}`,
          kind: 'process',
          label: `${(isPython(table, row) ? pythonTarget(table.argv(row)).name : programName(table.argv(row), row.comm)).slice(0, 40)} (${row.pid})`,
          detail: table.command(row).slice(0, CMD_MAX),
          roots: [row],
          members: [row],
        },
        options.pss === 'all',
      ),
    );
  }
  return owners.sort((a, b) => b.bytes - a.bytes);
}

/**
 * The `count` rows with the most RSS, largest first, rows of equal RSS in their order in `rows`: a
 * stable sort's first `count`, without sorting all of the machine's processes to keep five.
 */
export function largest(rows: ProcRow[], count: number): ProcRow[] {
  const top: ProcRow[] = [];
  for (const row of rows) {
    if (top.length === count && (count === 0 || row.rssBytes <= top[count - 1].rssBytes)) continue;
    let i = top.length;
    while (i > 0 && top[i - 1].rssBytes < row.rssBytes) i--;
    top.splice(i, 0, row);
    if (top.length > count) top.pop();
  }
  return top;
}

function finish(table: ProcTable, d: Draft, pss: boolean): MemoryOwner {
  const member = new Set(d.members.map((m) => m.pid));
  const processes: OwnerProcess[] = [];
  const seen = new Set<number>();
  const walk = (row: ProcRow, depth: number) => {
    if (seen.has(row.pid)) return;
    seen.add(row.pid);
    const memory = table.memoryOf(row, pss);
    processes.push({
      pid: row.pid,
      ppid: row.ppid,
      depth,
      command: table.command(row).slice(0, CMD_MAX),
      bytes: memory.bytes,
      measure: memory.measure,
      ...(memory.pssAgeMs !== undefined ? { pssAgeMs: memory.pssAgeMs } : {}),
    });
    for (const child of table.children.get(row.pid) ?? []) if (member.has(child.pid)) walk(child, depth + 1);
  };
  for (const root of d.roots) walk(root, 0);
  // Orphans that rejoined through their session: roots of their own in the listing.
  for (const row of d.members) walk(row, 0);
  const bytes = processes.reduce((sum, p) => sum + p.bytes, 0);
  const measures = new Set(processes.map((p) => p.measure));
  const measure: MemoryMeasure = measures.size > 1 ? 'mixed' : measures.has('pss') ? 'pss' : 'rss';
  return {
    id: d.id,
    kind: d.kind,
    label: d.label,
    detail: d.detail,
    bytes,
    measure,
    processes: processes.slice(0, MAX_LISTED),
    hiddenProcesses: Math.max(0, processes.length - MAX_LISTED),
    runId: d.runId,
    runDir: d.runDir,
  };
}
