// `headroom runtime install [--python PATH]`: installs the headroom_runtime package shipped next to the
// CLI into an interpreter (pip --no-index from the shipped files; no network).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { distCandidates } from '../core/distDir';
import { installRuntime, RuntimeInstallError, runtimeSourceDir, runtimeStatus } from '../core/runtime/install';

const HELP = `usage: headroom runtime install [--python PATH]
       headroom runtime status [--python PATH]

  install          install headroom_runtime (tuning trials' runtime and the memory-aware joblib
                   backend, 'with headroom_runtime.parallel():') into the interpreter, offline
  status           whether the interpreter has headroom_runtime, which version, and joblib
  --python PATH    the interpreter (default: $HEADROOM_PYTHON or python3)

Exit status: 0 on success, 1 when the install failed, 2 for bad arguments.`;

/** dist/python (or, running from sources, the checkout's python/) and the version in package.json beside dist/. */
function shipped(): { sourceDir: string; version: string } {
  const sourceDir = runtimeSourceDir();
  for (const root of distCandidates().map((dist) => join(dist, '..'))) {
    try {
      const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'headroom' && pkg.version) return { sourceDir, version: pkg.version };
    } catch {
      // not here
    }
  }
  throw new RuntimeInstallError('package.json of Headroom not found next to the CLI');
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { python: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
      strict: true,
    });
  } catch (error) {
    console.error(`headroom runtime: ${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  const [action, ...extra] = parsed.positionals;
  if (parsed.values.help) {
    console.log(HELP);
    return 0;
  }
  if ((action !== 'install' && action !== 'status') || extra.length > 0) {
    console.error(`headroom runtime: expected 'install' or 'status'\n\n${HELP}`);
    return 2;
  }
  const python = parsed.values.python ?? process.env.HEADROOM_PYTHON ?? 'python3';
  try {
    if (action === 'status') {
      const s = await runtimeStatus(python);
      console.log(
        `${python} (Python ${s.pythonVersion}): headroom_runtime ${s.version ? (s.version === 'path' ? 'importable (not installed by pip)' : s.version) : 'not installed'}; joblib ${s.joblib ? 'present' : 'missing (the joblib backend needs it; scikit-learn brings it)'}`,
      );
      return 0;
    }
    const { sourceDir, version } = shipped();
    console.error(`Installing headroom_runtime ${version} into ${python} (offline, from ${sourceDir})...`);
    const result = await installRuntime({ python, sourceDir, version });
    console.log(`Installed headroom_runtime ${result.version} into ${python} (Python ${result.pythonVersion}).`);
    const s = await runtimeStatus(python);
    if (!s.joblib)
      console.log(
        'Note: joblib is missing there; `with headroom_runtime.parallel():` needs it (scikit-learn brings it).',
      );
    return 0;
  } catch (error) {
    if (error instanceof RuntimeInstallError) {
      console.error(`headroom runtime: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
