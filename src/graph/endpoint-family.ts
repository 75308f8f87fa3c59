// Graph throttles per service: which limit a request counts against follows from its path.
import type { WindowPolicy } from './rate-limiter.js';

export type EndpointFamily = 'reports' | 'identityProtection' | 'other';

/** Documented per-tenant limits (graph-data.md §8, S33). `null`: no client-side pacing. */
export const GRAPH_PACING: Readonly<Record<EndpointFamily, WindowPolicy | null>> = {
  // "Identity and access reports": auditLogs (signIns, directoryAudits) and reports/* (authentication methods).
  reports: { maxRequests: 5, windowMs: 10_000 },
  // "Identity protection and Conditional Access": 1 request per second per tenant, all apps together.
  identityProtection: { maxRequests: 1, windowMs: 1_000 },
  other: null,
};

export function endpointFamily(url: URL): EndpointFamily {
  const path = url.pathname.toLowerCase();
  if (/\/(auditlogs|reports)(\/|$)/.test(path)) return 'reports';
  if (/\/identityprotection(\/|$)/.test(path)) return 'identityProtection';
  return 'other';
}

export function describeFamily(family: EndpointFamily): string {
  return family === 'reports' ? 'reporting APIs' : family === 'identityProtection' ? 'Identity Protection' : 'Graph';
}
