// Which Slack requests are still being handled. The HTTP server only knows a request until its
// acknowledgement is sent; a /mfa answer that follows through the response_url, or the chart
// uploaded after a reply, runs on in the listener. A global middleware sees the whole of it, so a
// stopping bot can wait for that work before it closes the store the work reads.
import type { App } from '@slack/bolt';
import { settleWithin } from './settle-within.js';

export interface RequestTracker {
  /** Requests whose listeners have not finished. */
  readonly inFlight: number;
  /** Resolves true once no request is in flight, or false after `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean>;
}

export function trackRequests(app: App): RequestTracker {
  const inFlight = new Set<Promise<unknown>>();
  app.use(async ({ next }) => {
    const work = next();
    inFlight.add(work);
    try {
      await work;
    } finally {
      inFlight.delete(work);
    }
  });
  return {
    get inFlight() {
      return inFlight.size;
    },
    async drain(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      // A request accepted just before the server stopped listening may join while we wait.
      while (inFlight.size > 0) {
        if (!(await settleWithin(Promise.allSettled([...inFlight]), deadline - Date.now()))) return false;
      }
      return true;
    },
  };
}
