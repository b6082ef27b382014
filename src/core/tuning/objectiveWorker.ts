/**
 * Objective mode: a long-lived Python process per worker thread (per slot) that imports the user's
 * module once and runs objective(params) for each trial it is handed. A killed or crashed process
 * is replaced on the next trial; a process that cannot even import the module fails the trial with
 * `workerFailed` so the engine can stop the run instead of failing every trial the same way.
 */
import { BoundedLog, MarkSplitter, nonFiniteValue, numericMetrics } from './outputSink';
import { describeExit, LastLine, startPython, terminate, type PythonChild } from './pythonProcess';
import { knownMax, TreeSampler } from './treeSampler';
import { TrialControl, type TrialChannel } from './trialChannel';
import { killGrace } from './trialRunner';
import { emptyOutcome, type TrialOutcome, type TrialTask } from './types';

type Reply = Record<string, unknown>;

const REPLIES = new Set(['ready', 'fatal', 'result', 'error', 'pruned']);

class ObjectiveProcess {
  private replyWaiter: ((m: Reply) => void) | null = null;
  log: BoundedLog | null = null;
  /** Output between trials (module import) goes to the next trial's log; bounded. */
  private pending: Buffer[] = [];
  /** The last stderr line of the current trial: without the end marks, nothing of earlier trials. */
  stderrTail = new LastLine();
  exitedWith: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  onReport: ((m: Reply) => void) | null = null;

  private constructor(
    readonly key: string,
    readonly child: PythonChild,
  ) {
    child.stdout.on('data', (chunk: Buffer) => this.route(0, chunk));
    child.stderr.on('data', (chunk: Buffer) => this.route(1, chunk));
    for (const [i, stream] of [child.stdout, child.stderr].entries()) {
      stream.on('error', () => undefined);
      stream.once('close', () => this.streamDone(i));
    }
    child.onMessage((m) => {
      if (m.type === 'report') this.onReport?.(m);
      // report(**metrics) without step= sends 'final' too; the worker's own reply carries the result.
      else if (REPLIES.has(String(m.type))) this.replyWaiter?.(m);
    });
    void child.exited.then((e) => {
      this.exitedWith = e;
      this.replyWaiter?.({ type: 'exited' });
    });
  }

  static async start(task: TrialTask): Promise<ObjectiveProcess> {
    const child = await startPython({
      python: task.python,
      args: ['-m', 'headroom_runtime.worker', task.objective!.module, task.objective!.func],
      cwd: task.cwd,
      runtimeDir: task.runtimeDir,
      threadsPerTrial: task.threadsPerTrial,
      env: { ...task.env, HEADROOM_SEED: String(task.seed) },
    });
    return new ObjectiveProcess(task.workerKey, child);
  }

  next(): Promise<Reply> {
    if (this.exitedWith) return Promise.resolve({ type: 'exited' });
    return new Promise((resolve) => {
      this.replyWaiter = (m) => {
        this.replyWaiter = null;
        resolve(m);
      };
    });
  }

  /** Per stream (stdout, stderr): does its output still belong to the current trial's log? */
  private readonly attached = [false, false];
  private readonly splitters = [new MarkSplitter(), new MarkSplitter()];
  private drained: (() => void) | null = null;

  private route(stream: 0 | 1, chunk: Buffer): void {
    this.splitters[stream].push(
      chunk,
      (bytes) => {
        if (stream === 1) this.stderrTail.push(Buffer.from(bytes));
        if (this.attached[stream] && this.log) this.log.write(bytes);
        else if (this.pending.reduce((n, b) => n + b.length, 0) < 256 * 1024) this.pending.push(Buffer.from(bytes));
      },
      () => {
        if (stream === 1) this.stderrTail = new LastLine();
        this.streamDone(stream);
      },
    );
  }

  private streamDone(stream: number): void {
    this.attached[stream] = false;
    if (!this.attached[0] && !this.attached[1]) this.drained?.();
  }

  attachLog(log: BoundedLog): void {
    for (const b of this.pending.splice(0)) log.write(b);
    this.log = log;
    this.attached[0] = this.attached[1] = true;
  }

  /** Resolves once both streams passed the trial's end marker (or closed), at most `timeoutMs` later. */
  async detachLog(timeoutMs: number): Promise<void> {
    if (this.attached[0] || this.attached[1]) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.drained = null;
    }
    this.attached[0] = this.attached[1] = false;
    this.log = null;
  }

  get alive(): boolean {
    return this.exitedWith === null;
  }
}

/** This thread's objective process (piscina runs one trial at a time per thread). */
let current: ObjectiveProcess | null = null;

export async function shutdownObjectiveProcess(): Promise<void> {
  const p = current;
  current = null;
  if (p?.alive) {
    p.child.send({ type: 'exit' });
    await Promise.race([p.child.exited, new Promise((r) => setTimeout(r, 1000).unref())]);
    await terminate(p.child, 0);
  }
}

export async function runObjectiveTrial(
  task: TrialTask,
  channel: TrialChannel,
): Promise<TrialOutcome & { workerFailed?: boolean }> {
  const control = new TrialControl(channel);
  const startedAt = Date.now();
  const log = new BoundedLog(task.logPath, task.logLimitBytes);
  const outcome = (o: Partial<TrialOutcome> & Pick<TrialOutcome, 'status'>): TrialOutcome =>
    emptyOutcome({ startedAt, logDroppedBytes: log.droppedBytes, killReason: control.killReason, ...o });
  let fresh = false;
  if (!current || !current.alive || current.key !== task.workerKey) {
    await shutdownObjectiveProcess();
    try {
      current = await ObjectiveProcess.start(task);
    } catch (error) {
      log.note(`[headroom] ${(error as Error).message}`);
      log.close();
      return { ...outcome({ status: 'failed', error: (error as Error).message }), workerFailed: true };
    }
    fresh = true;
  }
  const proc = current;
  proc.attachLog(log);
  channel.post({ type: 'spawned', pid: proc.child.pid, fresh });
  if (fresh) {
    const hello = await proc.next();
    if (hello.type !== 'ready') {
      proc.log = null;
      const error =
        hello.type === 'fatal'
          ? String(hello.error)
          : describeExit(proc.exitedWith?.code ?? null, proc.exitedWith?.signal ?? null, proc.stderrTail.line);
      log.note(`[headroom] ${error}`);
      log.close();
      current = null;
      await terminate(proc.child, 0);
      return {
        ...outcome({
          status: 'failed',
          error: error.split('\n')[0] + (hello.type === 'fatal' ? ` (${error.trim().split('\n').pop()})` : ''),
        }),
        workerFailed: true,
      };
    }
  }
  const sampler = new TreeSampler(
    task.trialId,
    proc.child.pid,
    task.sampleIntervalMs,
    (usage) => channel.post({ type: 'usage', usage }),
    false,
  );
  proc.onReport = (m) =>
    control.report(
      Number(m.step),
      numericMetrics((m.metrics ?? {}) as Record<string, unknown>),
      m.wait === true,
      (prune) => proc.child.send({ type: 'pruneDecision', prune }),
    );
  control.onKill((reason) => {
    // Pruning is cooperative in objective mode (report() raises TrialPruned); other kills take the process.
    if (reason !== 'prune') void terminate(proc.child, killGrace(reason));
  });
  proc.child.send({
    type: 'trial',
    trialId: task.trialId,
    params: task.params,
    fraction: task.fraction,
    seed: task.seed,
    prune: task.prune,
    metric: task.metric,
  });
  const reply = await proc.next();
  sampler.sample(true);
  sampler.stop();
  proc.onReport = null;
  await proc.detachLog(reply.type === 'exited' ? 200 : 2000);
  log.close();
  const usage = {
    // The worker's own count (0 for a quick objective is a measurement) or the tree's, whichever saw more.
    cpuMs: knownMax(reply.cpuSeconds == null ? null : Number(reply.cpuSeconds) * 1000, sampler.measuredCpuMs),
    peakRssBytes: sampler.measuredPeakRssBytes,
    peakPssBytes: sampler.peakPssBytes,
    logDroppedBytes: log.droppedBytes,
  };
  if (reply.type === 'exited') {
    current = null;
    const e = proc.exitedWith!;
    if (control.killReason) return outcome({ status: 'killed', exitCode: e.code, signal: e.signal, ...usage });
    return outcome({
      status: 'failed',
      exitCode: e.code,
      signal: e.signal,
      error: describeExit(e.code, e.signal, proc.stderrTail.line),
      ...usage,
    });
  }
  if (reply.type === 'pruned') return outcome({ status: 'killed', ...usage, killReason: 'prune' });
  if (reply.type === 'error') return outcome({ status: 'failed', error: String(reply.error), ...usage });
  const metrics = numericMetrics((reply.metrics ?? {}) as Record<string, unknown>);
  if (!(task.metric in metrics)) {
    const bad = nonFiniteValue(reply, task.metric);
    return outcome({
      status: 'failed',
      metrics,
      error: bad
        ? `objective returned ${bad} for '${task.metric}': it must be a finite number`
        : `objective returned no '${task.metric}': return a number or a dict containing "${task.metric}"`,
      ...usage,
    });
  }
  return outcome({ status: 'done', metrics, ...usage });
}
