// Time as a dependency for the alert dispatcher and the jobs: pacing, backoff, leases and
// escalation deadlines read and wait through a Clock, so tests drive them with a virtual clock
// (see test/support/virtual-clock.ts) instead of sleeping.
import { setTimeout as delay } from 'node:timers/promises';

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => (ms > 0 ? delay(ms) : Promise.resolve()),
};
