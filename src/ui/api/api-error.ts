// Error raised for any failed API call, carrying the server's code, message, details and Retry-After.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly requestId: string | null;
  readonly retryAfterSeconds: number | null;
  readonly details: Record<string, unknown> | null;

  constructor(opts: {
    status: number;
    code: string;
    message: string;
    requestId?: string | null;
    retryAfterSeconds?: number | null;
    details?: Record<string, unknown> | null;
  }) {
    super(opts.message);
    this.name = 'ApiError';
    this.status = opts.status;
    this.code = opts.code;
    this.requestId = opts.requestId ?? null;
    this.retryAfterSeconds = opts.retryAfterSeconds ?? null;
    this.details = opts.details ?? null;
  }
}

/** Human-readable text for any error thrown while talking to the API. */
export function describeError(err: unknown): string {
  if (!(err instanceof ApiError)) {
    return err instanceof Error && err.message ? err.message : 'Something went wrong.';
  }
  let text = err.message;
  const wait = err.retryAfterSeconds;
  if (wait !== null && !text.includes(String(wait))) {
    text += ` Try again in ${wait} second${wait === 1 ? '' : 's'}.`;
  }
  if (err.status >= 500 && err.requestId) text += ` (request ${err.requestId})`;
  return text;
}
