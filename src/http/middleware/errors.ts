// Turns every error into {"error":{"code","message","requestId"}}: 4xx messages are shown, 5xx are generic and logged.
import { STATUS_CODES } from 'node:http';
import type { Logger } from '../../shared/logger.ts';
import { AppError } from '../../shared/errors.ts';
import type { AppContext } from '../context.ts';

const codeForStatus = (status: number): string =>
  ({ 400: 'bad_request', 401: 'unauthenticated', 403: 'forbidden', 404: 'not_found', 405: 'method_not_allowed', 406: 'not_acceptable', 413: 'body_too_large', 415: 'unsupported_media_type', 429: 'rate_limited', 501: 'not_implemented' })[status] ??
  (status < 500 ? 'bad_request' : 'internal_error');

type HttpLikeError = { status?: number; statusCode?: number; expose?: boolean; message?: string; headers?: Record<string, string> };

/** Answers the request with the error's JSON body, status and headers instead of letting it escape. */
export function respondWithError(logger: Logger, ctx: AppContext, raw: unknown): void {
  let status = 500;
  let code = 'internal_error';
  let message = 'Internal server error.';
  let details: Record<string, unknown> | undefined;
  let headers: Record<string, string> | undefined;
  if (raw instanceof AppError) {
    status = raw.status;
    code = raw.code;
    if (raw.expose) message = raw.message;
    details = raw.details;
    headers = raw.headers;
  } else {
    const e = (raw ?? {}) as HttpLikeError;
    const s = e.status ?? e.statusCode;
    if (typeof s === 'number' && s >= 400 && s < 600) status = s;
    code = codeForStatus(status);
    // SECURITY: only errors that declare themselves safe to show (Koa's http-errors below 500) reach the client.
    message = status < 500 && e.expose && e.message ? e.message : (STATUS_CODES[status] ?? 'Error');
    headers = e.headers;
  }
  if (status >= 500) logger.error({ err: raw, reqId: ctx.state.requestId, method: ctx.method, path: ctx.path }, 'request failed');
  ctx.status = status;
  if (headers) for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error: { code, message, requestId: ctx.state.requestId, ...(details && status < 500 ? { details } : {}) } };
}
