/**
 * A run's event stream: listeners for the UI and an async iterator for `for await` consumers. A view
 * that subscribes late (a panel opened mid-run) still sees the run from its first event.
 */
import type { RunEvent } from './events';

export class RunEventStream implements AsyncIterable<RunEvent> {
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private readonly iterators = new Set<{ queue: RunEvent[]; wake: (() => void) | null }>();
  private ended = false;

  /** Everything emitted so far except the frequent usage samples: replayed to late subscribers. */
  private readonly history: RunEvent[] = [];

  /** Subscribes; the events emitted before (but trialUsage) are delivered first, synchronously. */
  on(listener: (event: RunEvent) => void): () => void {
    for (const event of this.history) listener(event);
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: RunEvent): void {
    if (event.type !== 'trialUsage') this.history.push(event);
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a listener's bug must not stop the run
      }
    }
    for (const it of this.iterators) {
      it.queue.push(event);
      it.wake?.();
    }
  }

  end(): void {
    this.ended = true;
    for (const it of this.iterators) it.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<RunEvent> {
    const it = { queue: [...this.history], wake: null as (() => void) | null };
    this.iterators.add(it);
    try {
      for (;;) {
        while (it.queue.length > 0) yield it.queue.shift()!;
        if (this.ended) return;
        await new Promise<void>((resolve) => (it.wake = resolve));
        it.wake = null;
      }
    } finally {
      this.iterators.delete(it);
    }
  }
}
