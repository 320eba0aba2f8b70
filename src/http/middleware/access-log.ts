// One structured log line per request: method, route, status, duration, address and actor.
import type { Logger } from '../../shared/logger.ts';
import type { AppContext, AppMiddleware } from '../context.ts';

export const accessLog = (logger: Logger): AppMiddleware => (ctx, next) => {
  const start = performance.now();
  return next().then(
    () => logRequest(logger, ctx, start),
    (err: unknown) => {
      logRequest(logger, ctx, start);
      throw err;
    },
  );
};

function logRequest(logger: Logger, ctx: AppContext, start: number): void {
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
