// Classifies database errors by code (never by message, which may carry connection details), so
// callers can tell "the store is unreachable, try again" from a bug.

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
]);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errno = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(errno)) for (const inner of errno) codes.push(...codesOf(inner));
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

export function isStoreUnavailable(error: unknown): boolean {
  return codesOf(error).some((code) => UNAVAILABLE_CODES.has(code) || code.startsWith('08'));
}

/**
 * A statement the server cancelled: 57014 (query_canceled). On a store opened withStatementTimeout
 * that is its timeout; pg_cancel_backend by an operator gives the same code, and the same answer
 * (the report did not finish) fits it too.
 */
export function isStatementTimeout(error: unknown): boolean {
  return codesOf(error).includes('57014');
}
