// Request URLs and paging links. An @odata.nextLink is followed as an opaque absolute link, but
// only to GRAPH_API_URL's own host: the bearer token must never be sent anywhere else, whatever a
// response (or a stored resume link from another configuration) says.
import { GraphLinkError } from './graph-errors.js';

/** Absolute URL for a path ("/beta/auditLogs/signIns?...") or a nextLink. */
export function resolveGraphUrl(apiUrl: string, pathOrLink: string): URL {
  const base = new URL(apiUrl);
  if (pathOrLink.startsWith('/')) {
    // GRAPH_API_URL may carry a path prefix (a proxy); keep it.
    return new URL(`${base.origin}${base.pathname.replace(/\/+$/, '')}${pathOrLink}`);
  }
  let link: URL;
  try {
    link = new URL(pathOrLink);
  } catch {
    throw new GraphLinkError(`Refusing to follow a Graph link that is not an absolute URL: ${pathOrLink.slice(0, 200)}`);
  }
  if (link.protocol !== base.protocol || link.host !== base.host) {
    throw new GraphLinkError(`Refusing to follow a Graph link to ${link.protocol}//${link.host}: GRAPH_API_URL is ${base.protocol}//${base.host}`);
  }
  return link;
}

/** Graph's date-time literal for $filter: UTC, whole seconds (rounded down, so a window only grows). */
export function graphDateTime(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** "$filter=…&$top=…" with the values percent-encoded and the "$" names left as Graph documents them. */
export function graphQuery(params: Record<string, string | number | undefined>): string {
  return Object.entries(params)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
}
