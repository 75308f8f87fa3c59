// A sliding-window limiter: at most `maxRequests` starts in any `windowMs`. Graph throttles the
// reporting APIs at 5 requests per 10 s and Identity Protection at 1 per second per tenant
// (graph-data.md §8); staying under those limits is cheaper than being throttled, and Identity
// Protection's 429s carry no Retry-After to tell us how long to wait.
import type { Clock } from '../time/clock.js';

export interface WindowPolicy {
  maxRequests: number;
  windowMs: number;
}

export interface RateLimiter {
  readonly policy: WindowPolicy;
  /** Resolves when a request may start, and counts it as started at that moment. */
  acquire(): Promise<{ waitedMs: number }>;
}

export function createRateLimiter(policy: WindowPolicy, clock: Clock): RateLimiter {
  if (!(policy.maxRequests >= 1) || !(policy.windowMs > 0)) throw new RangeError(`invalid rate limit ${JSON.stringify(policy)}`);
  const started: number[] = [];
  // Callers queue: two concurrent acquires must not both see the same free slot.
  let queue: Promise<unknown> = Promise.resolve();

  const take = async (): Promise<{ waitedMs: number }> => {
    const begin = clock.now();
    for (;;) {
      const now = clock.now();
      while (started.length > 0 && started[0]! <= now - policy.windowMs) started.shift();
      if (started.length < policy.maxRequests) {
        started.push(now);
        return { waitedMs: now - begin };
      }
      // The oldest start leaves the window at oldest + windowMs.
      await clock.sleep(started[0]! + policy.windowMs - now);
    }
  };

  return {
    policy,
    acquire() {
      const next = queue.then(take, take);
      queue = next.catch(() => {});
      return next;
    },
  };
}
