// Errors of the Graph layer, each saying what failed and what to check, never a token or secret.

/** The login endpoint would not issue a token (wrong secret, unknown tenant, network...). */
export class GraphTokenError extends Error {
  constructor(
    message: string,
    /** True for network errors and 5xx: worth retrying. False for refused credentials. */
    readonly transient: boolean,
  ) {
    super(message);
    this.name = 'GraphTokenError';
  }
}

/** Graph answered a request with an error that retrying will not fix, or retries ran out. */
export class GraphRequestError extends Error {
  constructor(
    message: string,
    /** HTTP status, or null for a network error. */
    readonly status: number | null,
    /** Graph's error code, e.g. "Authorization_RequestDenied". */
    readonly code: string | null = null,
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }
}

/** An @odata.nextLink (or stored resume link) that does not point at GRAPH_API_URL's host. */
export class GraphLinkError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphLinkError';
  }
}
