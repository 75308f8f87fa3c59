// How long to wait before retrying a Graph request or a Slack post: the server's Retry-After when
// it sends one, else exponential backoff with jitter (Identity Protection sends no Retry-After on
// 429, graph-data.md §8), so retries from several clients do not arrive in lock-step.

export interface BackoffPolicy {
  /** First delay before jitter (doubles per attempt). */
  baseDelayMs: number;
  /** Ceiling of a single delay. */
  maxDelayMs: number;
}

/**
 * Delay before retry number `attempt` (1-based): base·2^(attempt-1) capped at maxDelayMs, with
 * "equal jitter" (half fixed, half random) so a retry never comes back almost immediately.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}

/**
 * Retry-After in milliseconds: delta-seconds ("7") or an HTTP date. Null when absent or
 * unparseable, so the caller falls back to backoff.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
