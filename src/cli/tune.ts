import { parseArgs } from 'node:util';
import { parseBytes } from '../core/format';
import {
  findWorkspace,
  loadSpec,
  resumeRun,
  specDifferences,
  SpecError,
  startRun,
  TuningError,
  UsageError,
  type RunHandle,
} from '../core/tuning';
import type { RunEvent, RunSummary } from '../core/tuning/events';
import type { TrialStatus } from '../core/tuning/runFiles';
import { describeRunEvent, metricText } from '../core/tuning/runLog';
import { cliPythonChoice, pythonLine } from './python';
import type { PythonChoice } from '../core/python/choice';

const HELP = `usage: headroom tune SPEC [--json] [--workers N] [--memory-budget SIZE] [--resume RUN_ID] [--ray HOST:PORT]

  SPEC                 a NAME.tune.yaml / .tune.yml / .tune.json file
  --json               one JSON event per line, then a summary line with best.params and best.metrics
  --workers N          at most N trials at once (overrides resources.workers)
  --memory-budget SIZE memory all trials together may use, e.g. 4GB (overrides resources.memoryBudget)
  --resume RUN_ID      continue an interrupted or stopped run of this spec, skipping finished trials
  --python PATH        interpreter when the spec names none (default: an activated virtualenv or conda
                       environment, else the workspace's .vscode/settings.json or .venv, else python3)
  --no-cache           run every trial even when an identical one already finished
  --ray HOST:PORT      run the trials on this Ray cluster (or auto: RAY_ADDRESS) instead of this machine

Exit status: 0 when at least one trial succeeded, 1 when none did or the run was cut short (the Ray cluster was lost: --resume continues it), 2 for a bad spec or arguments, 130 when interrupted (Ctrl+C, SIGTERM, or the terminal closed).`;

/** Signals that stop the run the way Ctrl+C does: trials killed, the run recorded as stopped. */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

const STATUS_ORDER: TrialStatus[] = ['done', 'cached', 'failed', 'timeout', 'killed', 'pruned', 'cancelled'];

/** Live state for the progress line. */
class Progress {
  total = 0;
  finished = new Set<string>();
  running = new Set<string>();
  queued = new Set<string>();
  reason = '';
  best: RunEvent & { type: 'trialFinished' } extends { best: infer B } ? B : never = null;

  apply(e: RunEvent): void {
    if (e.type === 'runStarted') this.total = e.total;
    else if (e.type === 'trialQueued') this.queued.add(e.trialId);
    else if (e.type === 'trialStarted') {
      this.queued.delete(e.trialId);
      this.running.add(e.trialId);
    } else if (e.type === 'trialFinished') {
      this.queued.delete(e.record.trialId);
      this.running.delete(e.record.trialId);
      if (e.record.final) this.finished.add(e.record.trialId);
      this.best = e.best;
    } else if (e.type === 'concurrency') this.reason = e.decision.reason;
  }

  line(metric: string): string {
    const best = this.best ? `best ${metric}=${metricText(this.best.value)} (${this.best.trialId})` : 'no result yet';
    return `${this.finished.size}/${this.total} done, ${this.running.size} running, ${this.queued.size} queued | ${best} | ${this.reason}`;
  }
}

function printSummary(s: RunSummary): void {
  const counts = STATUS_ORDER.filter((k) => s.counts[k])
    .map((k) => `${s.counts[k]} ${k}`)
    .join(', ');
  console.log(`\nrun ${s.runId} ${s.status}: ${counts || 'no trials finished'}`);
  if (s.error) console.log(`  error: ${s.error}`);
  if (s.best) {
    console.log(`best ${s.best.trialId}: ${s.metric}=${metricText(s.best.value)}`);
    console.log(`  params  ${JSON.stringify(s.best.params)}`);
    console.log(`  metrics ${JSON.stringify(s.best.metrics)}`);
  } else console.log('no trial succeeded');
  console.log(`  ${s.runDir}`);
}

/** --resume runs the spec stored with the run: say so when the spec file now says something else. */
function resumeNote(handle: RunHandle, file: string, python: PythonChoice): string | null {
  let changed: string[];
  try {
    changed = specDifferences(handle.spec, loadSpec(file, python));
  } catch (error) {
    return `resuming with the spec stored with run ${handle.runId}; ${file} cannot be read as a spec now (${(error as Error).message.split('\n')[0]})`;
  }
  if (changed.length === 0) return null;
  return `resuming with the spec stored with run ${handle.runId}; ${file} has changed since and its edits are not used (differs in: ${changed.join(', ')}). Start a new run to use them.`;
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        workers: { type: 'string' },
        'memory-budget': { type: 'string' },
        resume: { type: 'string' },
        python: { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        ray: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    });
  } catch (error) {
    console.error(`headroom tune: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const json = values.json;
  const fail = (message: string, code: number, extra: Record<string, unknown> = {}): number => {
    if (json) process.stdout.write(JSON.stringify({ type: 'error', message, ...extra }) + '\n');
    console.error(`headroom tune: ${message}`);
    return code;
  };
  if (positionals.length !== 1) return fail(`expected one SPEC file\n\n${HELP}`, 2);
  if (values.ray !== undefined && !/^(auto|[A-Za-z0-9_.-]+:[0-9]{1,5})$/.test(values.ray))
    return fail(`--ray must be the head's HOST:PORT or auto: ${values.ray}`, 2);
  const workers = values.workers === undefined ? undefined : Number(values.workers);
  if (workers !== undefined && !(Number.isInteger(workers) && workers >= 1))
    return fail('--workers must be a whole number, at least 1', 2);
  const budget = values['memory-budget'] === undefined ? undefined : parseBytes(values['memory-budget']);
  if (values['memory-budget'] !== undefined && !budget)
    return fail(`--memory-budget is not a size: ${values['memory-budget']}`, 2);
  const options = {
    workers,
    memoryBudgetBytes: budget,
    cache: values['no-cache'] ? false : undefined,
    python: cliPythonChoice(values.python, positionals[0]),
    rayAddress: values.ray,
  };
  let handle: RunHandle;
  try {
    const spec = positionals[0];
    handle = values.resume
      ? await resumeRun(findWorkspace(spec), values.resume, options)
      : await startRun(spec, options);
  } catch (error) {
    if (error instanceof SpecError) {
      return fail(`invalid spec\n${error.message}`, 2, { issues: error.issues });
    }
    if (error instanceof TuningError) return fail(error.message, error instanceof UsageError ? 2 : 1);
    throw error;
  }
  if (values.resume) {
    const note = resumeNote(handle, positionals[0], options.python);
    if (note && json) process.stdout.write(JSON.stringify({ type: 'log', level: 'warning', message: note }) + '\n');
    if (note) console.error(`headroom tune: ${note}`);
  }
  // A closed pipe (`| head`) must not crash the run: stop writing, let the run finish and record.
  process.stdout.on('error', () => undefined);
  const python = pythonLine({ path: handle.spec.python, from: handle.spec.pythonFrom ?? handle.spec.pythonSource });
  if (json) console.error(`headroom tune: ${python}`);
  else process.stdout.write(`${python}\n`);
  const progress = new Progress();
  const live = !json && process.stdout.isTTY;
  let lastDraw = 0;
  handle.onEvent((e) => {
    progress.apply(e);
    if (json) {
      process.stdout.write(JSON.stringify(e) + '\n');
      return;
    }
    const text = describeRunEvent(e, handle.spec.metric);
    if (text) process.stdout.write(live ? `\r\x1b[K${text}\n` : `${text}\n`);
    if (live && (text || Date.now() - lastDraw > 200)) {
      lastDraw = Date.now();
      process.stdout.write(`\r\x1b[K${progress.line(handle.spec.metric)}`);
    }
  });
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    if (!json) process.stderr.write('\nstopping: killing running trials...\n');
    void handle.stop();
  };
  // SIGHUP: the terminal was closed. Writing to it may now fail (EIO): the run must still be recorded.
  process.stderr.on('error', () => undefined);
  for (const signal of STOP_SIGNALS) process.on(signal, onSignal);
  const summary = await handle.done;
  for (const signal of STOP_SIGNALS) process.off(signal, onSignal);
  if (live) process.stdout.write('\r\x1b[K');
  if (json) {
    process.stdout.write(JSON.stringify({ type: 'summary', ...summary }) + '\n');
  } else printSummary(summary);
  if (interrupted) return 130;
  // A run cut short without a signal (the cluster went away) must not read as success to a script.
  if (summary.status === 'interrupted') return 1;
  return summary.best ? 0 : 1;
}
