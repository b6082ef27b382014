/**
 * Script mode: one Python process per trial, run through headroom_runtime.run_script with the
 * params as `--name value` arguments and as JSON in HEADROOM_PARAMS. Supervises it to the end:
 * output to a bounded log, metrics from report() or the last JSON line, tree sampling, kills.
 */
import { BoundedLog, nonFiniteValue, numericMetrics, ResultScanner } from './outputSink';
import { describeExit, LastLine, paramArg, startPython, terminate, type PythonChild } from './pythonProcess';
import { knownMax, TreeSampler } from './treeSampler';
import { TrialControl, type TrialChannel } from './trialChannel';
import { emptyOutcome, type TrialOutcome, type TrialTask } from './types';

/** How long a trial gets to exit after SIGTERM (cancel, timeout) before SIGKILL. */
export const KILL_GRACE_MS = 1500;

export function killGrace(reason: TrialControl['killReason']): number {
  return reason === 'cancel' || reason === 'timeout' || reason === 'prune' ? KILL_GRACE_MS : 0;
}

/**
 * The sampled peak PSS, or null where the samples missed the peak: when the trial process alone
 * reached a higher RSS (getrusage's high-water mark) than any sample of the whole tree saw, the
 * largest PSS sampled is a reading from before the peak (e.g. a trial that lasted one sample), not
 * its peak. Null makes the views show the measured peak RSS instead.
 */
export function statedPss(
  sampler: { peakRssBytes: number; peakPssBytes: number | null },
  maxRssBytes: number,
): number | null {
  if (sampler.peakPssBytes === null) return null;
  return sampler.peakRssBytes >= 0.9 * maxRssBytes ? sampler.peakPssBytes : null;
}

function scriptArgs(task: TrialTask): string[] {
  const params = Object.entries(task.params).flatMap(([k, v]) => [`--${k}`, paramArg(v)]);
  return ['-m', 'headroom_runtime.run_script', task.entryFile, ...task.args, ...params];
}

export async function runScriptTrial(task: TrialTask, channel: TrialChannel): Promise<TrialOutcome> {
  const control = new TrialControl(channel);
  const startedAt = Date.now();
  const log = new BoundedLog(task.logPath, task.logLimitBytes);
  const scanner = new ResultScanner(task.metric);
  const stderrTail = new LastLine();
  const failed = (error: string): TrialOutcome =>
    emptyOutcome({ status: 'failed', error, startedAt, killReason: control.killReason });
  let child: PythonChild;
  try {
    child = await startPython({
      python: task.python,
      args: scriptArgs(task),
      cwd: task.cwd,
      runtimeDir: task.runtimeDir,
      threadsPerTrial: task.threadsPerTrial,
      env: {
        ...task.env,
        HEADROOM_PARAMS: JSON.stringify(task.params),
        HEADROOM_FRACTION: String(task.fraction),
        HEADROOM_SEED: String(task.seed),
        HEADROOM_TRIAL_ID: task.trialId,
        HEADROOM_PRUNE: task.prune ? '1' : '0',
      },
    });
  } catch (error) {
    log.note(`[headroom] ${(error as Error).message}`);
    log.close();
    return failed((error as Error).message);
  }
  channel.post({ type: 'spawned', pid: child.pid, fresh: true });
  const sampler = new TreeSampler(
    task.trialId,
    child.pid,
    task.sampleIntervalMs,
    (usage) => channel.post({ type: 'usage', usage }),
    false,
  );
  let final: Record<string, number> | null = null;
  let nonFinite: string | null = null;
  let exitInfo: { cpuSeconds: number; maxRssBytes: number } | null = null;
  child.onMessage((m) => {
    if (m.type === 'final') {
      final = numericMetrics((m.metrics ?? {}) as Record<string, unknown>);
      nonFinite = nonFiniteValue(m, task.metric);
    } else if (m.type === 'exit')
      exitInfo = { cpuSeconds: Number(m.cpuSeconds) || 0, maxRssBytes: Number(m.maxRssBytes) || 0 };
    else if (m.type === 'report') {
      const metrics = numericMetrics((m.metrics ?? {}) as Record<string, unknown>);
      control.report(Number(m.step), metrics, m.wait === true, (prune) => child.send({ type: 'pruneDecision', prune }));
    }
  });
  const outputDone = Promise.all(
    [child.stdout, child.stderr].map(
      (stream) =>
        new Promise<void>((done) => {
          stream.on('data', (chunk: Buffer) => {
            log.write(chunk);
            if (stream === child.stdout) scanner.push(chunk);
            else stderrTail.push(chunk);
          });
          stream.once('close', () => done());
          stream.once('error', () => done());
        }),
    ),
  );
  control.onKill((reason) => void terminate(child, killGrace(reason)));
  sampler.sample(true, false, false);
  const { code, signal } = await child.exited;
  sampler.stop();
  // Nothing of a finished trial may outlive it: kill what is left of its group, then drain its pipes.
  child.kill('SIGKILL');
  await Promise.race([outputDone, new Promise((r) => setTimeout(r, 2000).unref())]);
  child.stdout.destroy();
  child.stderr.destroy();
  scanner.end();
  log.close();
  const info = exitInfo as { cpuSeconds: number; maxRssBytes: number } | null;
  const metrics = final ?? scanner.last ?? {};
  const base = {
    metrics,
    exitCode: code,
    signal,
    startedAt,
    endedAt: Date.now(),
    cpuMs: knownMax(sampler.measuredCpuMs, info ? info.cpuSeconds * 1000 : null),
    peakRssBytes: knownMax(sampler.measuredPeakRssBytes, info ? info.maxRssBytes : null),
    peakPssBytes: statedPss(sampler, info?.maxRssBytes ?? 0),
    logDroppedBytes: log.droppedBytes,
    killReason: control.killReason,
  };
  if (control.killReason) return { ...base, status: 'killed', error: null };
  if (code !== 0) return { ...base, status: 'failed', error: describeExit(code, signal, stderrTail.line) };
  if (!(task.metric in metrics)) {
    const bad = nonFinite as string | null;
    if (bad && final)
      return { ...base, status: 'failed', error: `reported ${bad} for '${task.metric}': it must be a finite number` };
    return {
      ...base,
      status: 'failed',
      error: `finished without reporting '${task.metric}': call headroom_runtime.report(${task.metric}=...) or print a JSON object containing "${task.metric}"`,
    };
  }
  return { ...base, status: 'done', error: null };
}
