// Around every request: an error becomes a JSON answer (never a stack trace), then one access-log line records the answer
// and the security monitor sees it.
import type { Logger } from '../../shared/logger.ts';
import type { AppContext, AppMiddleware } from '../context.ts';
import { logRequest } from './access-log.ts';
import { respondWithError } from './errors.ts';

export const envelope = (logger: Logger, observe: (ctx: AppContext) => void): AppMiddleware => (ctx, next) => {
  const start = performance.now();
  return next()
    .catch((err: unknown) => respondWithError(logger, ctx, err))
    .then(() => {
      logRequest(logger, ctx, start);
      observe(ctx);
    });
};
