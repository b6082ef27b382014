/**
 * Piscina worker: runs one tuning trial per task, off the engine's thread (process supervision,
 * /proc sampling and log writing are synchronous file work). In objective mode the thread keeps
 * its Python worker process between tasks: one thread, one slot, one warm interpreter.
 */
import type { MessagePort } from 'node:worker_threads';
import type { TrialControlMessage, TrialWorkerMessage } from '../core/tuning/workerProtocol';
import { runObjectiveTrial, shutdownObjectiveProcess } from '../core/tuning/objectiveWorker';
import { runScriptTrial } from '../core/tuning/trialRunner';
import type { TrialOutcome, TrialTask } from '../core/tuning/types';

export interface TuneTrialRequest {
  task: TrialTask | null;
  port: MessagePort | null;
  /** Ask this thread to stop its objective process (end of run, or fewer slots). */
  shutdown?: boolean;
}

export default async function tuneTrial(
  request: TuneTrialRequest,
): Promise<(TrialOutcome & { workerFailed?: boolean }) | null> {
  if (request.shutdown || !request.task || !request.port) {
    await shutdownObjectiveProcess();
    return null;
  }
  const port = request.port;
  const channel = {
    post: (message: TrialWorkerMessage) => port.postMessage(message),
    onControl: (handler: (message: TrialControlMessage) => void) => port.on('message', handler),
  };
  try {
    return request.task.kind === 'objective'
      ? await runObjectiveTrial(request.task, channel)
      : await runScriptTrial(request.task, channel);
  } finally {
    port.close();
  }
}
