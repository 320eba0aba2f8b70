// Gives every request an id, returned in X-Request-Id and written in the access log and error bodies.
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context.ts';

export function assignRequestId(ctx: AppContext): void {
  // SECURITY: a client-supplied id is never trusted; it could forge or poison log correlation.
  ctx.state.requestId = randomUUID();
  ctx.res.setHeader('X-Request-Id', ctx.state.requestId);
}
