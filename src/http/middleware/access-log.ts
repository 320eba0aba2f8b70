// One structured log line per request: method, route, status, duration, address and actor.
import type { Logger } from '../../shared/logger.ts';
import type { AppContext } from '../context.ts';

/** Writes the request's line; start is performance.now() when the request came in. */
export function logRequest(logger: Logger, ctx: AppContext, start: number): void {
  const line = {
    reqId: ctx.state.requestId,
    method: ctx.method,
    path: ctx.path,
    route: ctx.state.route,
    status: ctx.status,
    ms: Math.round((performance.now() - start) * 100) / 100,
    ip: ctx.state.ip,
    actor: ctx.state.actor ? `${ctx.state.actor.type}:${ctx.state.actor.name}` : undefined,
  };
  if (ctx.status >= 500) logger.error(line, 'request');
  else logger.info(line, 'request');
}
