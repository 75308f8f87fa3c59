// A clock that only moves when told to or when someone sleeps on it: a sleep of 3 s advances
// virtual time by 3 s and returns at once, so pacing, Retry-After, backoff, leases and escalation
// deadlines are exercised without waiting.
import type { Clock } from '../../src/time/clock.js';

export class VirtualClock implements Clock {
  /** Every sleep asked for, in order (what a real clock would have waited). */
  readonly sleeps: number[] = [];

  constructor(private ms: number = Math.floor(Date.now() / 1000) * 1000) {}

  now = (): number => this.ms;

  sleep = async (ms: number): Promise<void> => {
    if (ms > 0) {
      this.sleeps.push(ms);
      this.ms += ms;
    }
    // Let other work run, as a real sleep would.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  advance(ms: number): void {
    this.ms += ms;
  }

  date(): Date {
    return new Date(this.ms);
  }
}
