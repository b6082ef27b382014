/** The two-way link between the engine and the code running one trial (a MessagePort in piscina). */
import type { TrialControlMessage, TrialWorkerMessage } from './workerProtocol';

export interface TrialChannel {
  post(message: TrialWorkerMessage): void;
  onControl(handler: (message: TrialControlMessage) => void): void;
}

/** Control state every runner keeps: which kill was asked for, and pending prune answers. */
export class TrialControl {
  killReason: Extract<TrialControlMessage, { type: 'kill' }>['reason'] | null = null;
  private pendingPrune: ((prune: boolean) => void)[] = [];
  private killHandlers: ((reason: NonNullable<TrialControl['killReason']>) => void)[] = [];

  constructor(readonly channel: TrialChannel) {
    channel.onControl((m) => {
      if (m.type === 'kill') {
        if (this.killReason !== null) return;
        this.killReason = m.reason;
        for (const h of this.killHandlers) h(m.reason);
        for (const p of this.pendingPrune.splice(0)) p(true);
      } else {
        this.pendingPrune.shift()?.(m.prune);
      }
    });
  }

  onKill(handler: (reason: NonNullable<TrialControl['killReason']>) => void): void {
    if (this.killReason) handler(this.killReason);
    else this.killHandlers.push(handler);
  }

  /** Forwards an intermediate report and, when the trial waits for it, the engine's prune decision. */
  report(step: number, metrics: Record<string, number>, wait: boolean, reply: (prune: boolean) => void): void {
    if (wait) this.pendingPrune.push(reply);
    this.channel.post({ type: 'report', step, metrics, wait });
  }
}
