/**
 * Installing headroom_runtime (shipped in the extension and next to the CLI) into a Python interpreter:
 * a wheel is built from the shipped files by the interpreter itself (standard library only,
 * headroom_runtime/_wheel.py) and installed with `pip --no-index`, so nothing is downloaded. Also: whether
 * an interpreter has the runtime, and which version.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonPackageCandidates } from '../distDir';

export class RuntimeInstallError extends Error {
  override name = 'RuntimeInstallError';
}

export interface RuntimeStatus {
  /** Installed version (pip metadata), or 'path' when importable without metadata (e.g. PYTHONPATH); null when absent. */
  version: string | null;
  /** Whether joblib, which the memory-aware backend needs, is importable. */
  joblib: boolean;
  pythonVersion: string;
}

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
  error: NodeJS.ErrnoException | null;
}

function run(python: string, args: string[], timeoutMs: number): Promise<Ran> {
  return new Promise((resolve) => {
    // Runs from a neutral folder, without PYTHONPATH, so the answer is about the interpreter itself.
    const env = { ...process.env, PYTHONPATH: '', PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
    execFile(
      python,
      args,
      { timeout: timeoutMs, cwd: tmpdir(), env, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({
          code: error ? (typeof error.code === 'number' ? error.code : null) : 0,
          stdout: String(stdout),
          stderr: String(stderr),
          error: error && typeof error.code === 'string' ? (error as NodeJS.ErrnoException) : null,
        }),
    );
  });
}

/** The folder holding the shipped `headroom_runtime` package: dist/python, or python/ in a checkout. */
export function runtimeSourceDir(): string {
  const candidates = pythonPackageCandidates();
  const found = candidates.find((dir) => existsSync(join(dir, 'headroom_runtime', '_wheel.py')));
  if (!found) throw new RuntimeInstallError(`headroom_runtime not found (looked in ${candidates.join(', ')})`);
  return found;
}

const STATUS_CODE = `
import importlib.util, json, sys
version = None
if importlib.util.find_spec("headroom_runtime") is not None:
    try:
        import importlib.metadata as m
        version = m.version("headroom-runtime")
    except Exception:
        version = "path"
print(json.dumps({"version": version, "joblib": importlib.util.find_spec("joblib") is not None,
                  "pythonVersion": "%d.%d" % sys.version_info[:2]}))
`;

function notRunning(python: string, ran: Ran): RuntimeInstallError {
  if (ran.error?.code === 'ENOENT') return new RuntimeInstallError(`Python interpreter not found: ${python}`);
  return new RuntimeInstallError(
    `${python} did not run: ${(ran.stderr || ran.error?.message || '').trim().split('\n').pop()}`,
  );
}

export async function runtimeStatus(python: string): Promise<RuntimeStatus> {
  const ran = await run(python, ['-c', STATUS_CODE], 30_000);
  if (ran.code !== 0) throw notRunning(python, ran);
  return JSON.parse(ran.stdout.trim().split('\n').pop()!) as RuntimeStatus;
}

/** Why pip refused, in words the user can act on. */
export function explainPipFailure(python: string, output: string): string {
  if (/No module named pip/.test(output))
    return `${python} has no pip. Install pip for it (e.g. python -m ensurepip) or pick an interpreter of a virtual environment.`;
  if (/externally-managed-environment/.test(output))
    return `${python} is managed by the system's package manager (PEP 668), which forbids pip installs. Pick the interpreter of a virtual environment (python3 -m venv .venv) and install there.`;
  const last = output.trim().split('\n').filter(Boolean).slice(-3).join('\n');
  return `pip could not install headroom_runtime into ${python}:\n${last}`;
}

export interface InstallResult {
  version: string;
  python: string;
  pythonVersion: string;
  /** pip's own output, for the log. */
  output: string;
}

/** Builds the wheel from `sourceDir` with the target interpreter and installs it with pip, offline. */
export async function installRuntime(opts: {
  python: string;
  sourceDir: string;
  version: string;
}): Promise<InstallResult> {
  const before = await runtimeStatus(opts.python);
  const out = mkdtempSync(join(tmpdir(), 'headroom-wheel-'));
  try {
    const built = await run(
      opts.python,
      [join(opts.sourceDir, 'headroom_runtime', '_wheel.py'), out, opts.version],
      60_000,
    );
    if (built.code !== 0) throw new RuntimeInstallError(`building the wheel failed: ${built.stderr.trim()}`);
    const wheel = built.stdout.trim().split('\n').pop()!;
    const pip = await run(
      opts.python,
      [
        '-m',
        'pip',
        'install',
        '--no-index',
        '--no-deps',
        '--force-reinstall',
        '--retries',
        '0',
        '--timeout',
        '2',
        wheel,
      ],
      300_000,
    );
    const output = `${pip.stdout}${pip.stderr}`;
    if (pip.code !== 0) throw new RuntimeInstallError(explainPipFailure(opts.python, output));
    const after = await runtimeStatus(opts.python);
    if (after.version !== opts.version)
      throw new RuntimeInstallError(
        `pip reported success, but ${opts.python} sees headroom_runtime ${after.version ?? 'nowhere'} (expected ${opts.version})`,
      );
    return { version: opts.version, python: opts.python, pythonVersion: before.pythonVersion, output };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
