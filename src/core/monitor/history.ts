import type { ResourceSample } from './sample';

/** The last `seconds` of samples, oldest first; what the Resources view redraws from after being hidden. */
export class SampleHistory {
  private samples: ResourceSample[] = [];

  constructor(private seconds: number) {}

  push(sample: ResourceSample): void {
    this.samples.push(sample);
    this.trim(sample.timestamp);
  }

  setSeconds(seconds: number): void {
    this.seconds = seconds;
    const last = this.samples.at(-1);
    if (last) this.trim(last.timestamp);
  }

  all(): ResourceSample[] {
    return [...this.samples];
  }

  latest(): ResourceSample | undefined {
    return this.samples.at(-1);
  }

  private trim(now: number): void {
    const cutoff = now - this.seconds * 1000;
    let drop = 0;
    while (drop < this.samples.length && this.samples[drop].timestamp < cutoff) drop++;
    if (drop > 0) this.samples.splice(0, drop);
  }
}
