// Liveness and readiness probes: no authentication and no details.
import { z } from 'zod';
import { ping } from '../../db/index.ts';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';

export const healthRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/healthz',
    summary: 'Liveness: the process answers.',
    tag: 'health',
    access: { public: true },
    responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
    handler: (ctx) => {
      ctx.body = { status: 'ok' };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/readyz',
    summary: 'Readiness: the database answers.',
    tag: 'health',
    access: { public: true },
    responses: { 200: { description: 'Ready', schema: z.object({ status: z.literal('ok') }) }, 503: { description: 'Not ready' } },
    handler: async (ctx) => {
      if (!(await ping(s.db))) throw new AppError(503, 'not_ready', 'Database unreachable.');
      ctx.body = { status: 'ok' };
    },
  }),
];
