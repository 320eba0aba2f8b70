// The first layer of every request: its id, its client address and scheme, and the security headers.
import type { AppMiddleware } from '../context.ts';
import { clientAddress } from './client-ip.ts';
import { assignRequestId } from './request-id.ts';
import { setSecurityHeaders } from './security-headers.ts';

/** These steps only set things up and never throw, so they run as one layer in front of the access log and error handler. */
export function prepareRequest(trustedProxies: readonly string[]): AppMiddleware {
  const resolveClient = clientAddress(trustedProxies);
  return (ctx, next) => {
    assignRequestId(ctx);
    resolveClient(ctx);
    setSecurityHeaders(ctx);
    return next();
  };
}
