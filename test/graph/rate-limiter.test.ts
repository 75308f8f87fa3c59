// The sliding-window limiter on a virtual clock: the documented Graph limits hold for any window.
import { describe, expect, it } from 'vitest';
import { backoffDelay, parseRetryAfter } from '../../src/time/backoff.js';
import { createRateLimiter } from '../../src/graph/rate-limiter.js';
import { createVirtualClock } from '../support/fake-graph.js';

/** The most starts found in any half-open window of `windowMs`. */
function busiestWindow(times: number[], windowMs: number): number {
  let most = 0;
  for (let i = 0; i < times.length; i++) most = Math.max(most, times.filter((t) => t >= times[i]! && t < times[i]! + windowMs).length);
  return most;
}

describe('createRateLimiter', () => {
  it('lets 5 requests through at once, then one each time the oldest leaves the 10 s window', async () => {
    const clock = createVirtualClock(0);
    const limiter = createRateLimiter({ maxRequests: 5, windowMs: 10_000 }, clock);
    const times: number[] = [];
    for (let i = 0; i < 12; i++) {
      await limiter.acquire();
      times.push(clock.now());
      clock.advance(300); // the request itself takes a moment
    }
    expect(times.slice(0, 5)).toEqual([0, 300, 600, 900, 1200]);
    expect(times[5]).toBe(10_000);
    expect(busiestWindow(times, 10_000)).toBe(5);
  });

  it('serialises concurrent callers so they never share a slot', async () => {
    const clock = createVirtualClock(0);
    const limiter = createRateLimiter({ maxRequests: 1, windowMs: 1_000 }, clock);
    const times: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => limiter.acquire().then(() => times.push(clock.now()))));
    expect(times).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });

  it('reports how long a caller waited', async () => {
    const clock = createVirtualClock(0);
    const limiter = createRateLimiter({ maxRequests: 1, windowMs: 1_000 }, clock);
    expect((await limiter.acquire()).waitedMs).toBe(0);
    clock.advance(250);
    expect((await limiter.acquire()).waitedMs).toBe(750);
  });
});

describe('backoff', () => {
  it('doubles from the base, caps at the maximum, and jitters within the upper half', () => {
    const policy = { baseDelayMs: 2_000, maxDelayMs: 60_000 };
    expect([1, 2, 3, 4].map((n) => backoffDelay(n, policy, () => 1))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(backoffDelay(10, policy, () => 1)).toBe(60_000);
    expect(backoffDelay(1, policy, () => 0)).toBe(1_000);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-03-04T10:00:00Z');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Wed, 04 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
