// A server's own backups: list (with the running one's progress), make, download (decrypted: a tar.gz of the server's
// files), restore into the stopped server (checked whole first, within its disk limit) and delete; server.backup.*.
import { z } from 'zod';
import { AppError, conflict } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';
import { jobSchema, presentJob } from './backups.routes.ts';

const params = z.strictObject({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'must be an id') });
const named = params.extend({ name: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, 'must be a backup file name') });
const itemSchema = z.object({ name: z.string(), bytes: z.number(), createdAt: z.string() });
const access = (scope: string) => ({ scope, serverParam: 'id' }) as const;

export const serverBackupsRoutes = (s: Services): AnyRoute[] => {
  const serverRef = async (id: string) => {
    const server = await s.servers.get(id);
    return { id: server.id, name: server.name, shortId: server.shortId };
  };
  return [
    defineRoute({
      method: 'GET',
      path: '/servers/:id/backups',
      summary: 'The server\'s backups, newest first, and its backup being made (if any) with its progress.',
      tag: 'servers',
      access: access('server.backup.view'),
      params,
      responses: { 200: { description: 'Backups', schema: z.object({ items: z.array(itemSchema), max: z.number(), job: jobSchema.nullable() }) }, 404: { description: 'No such server' } },
      handler: async (ctx, { params: p }) => {
        await s.servers.get(p.id);
        const job = s.backups.jobs().find((j) => j.serverId === p.id && j.state === 'running') ?? null;
        ctx.body = { items: s.backups.servers.list(p.id), max: s.backups.servers.limit, job: job ? presentJob(job) : null };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/servers/:id/backups',
      summary: 'Back the server\'s files up (links and special files left out); follow it with GET /servers/:id/backups/jobs/:jobId.',
      tag: 'servers',
      access: access('server.backup.create'),
      params,
      responses: { 202: { description: 'Started', schema: z.object({ job: jobSchema }) }, 409: { description: 'backup_running, too_many_backups' } },
      handler: async (ctx, { params: p }) => {
        const { job } = s.backups.servers.create(ctx.state.caller, await serverRef(p.id));
        ctx.status = 202;
        ctx.body = { job: presentJob(job) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/servers/:id/backups/jobs/:jobId',
      summary: 'One backup of this server being made: its state and progress.',
      tag: 'servers',
      access: access('server.backup.view'),
      params: params.extend({ jobId: z.string().uuid() }),
      responses: { 200: { description: 'The job', schema: z.object({ job: jobSchema }) }, 404: { description: 'No such job' } },
      handler: async (ctx, { params: p }) => {
        const job = s.backups.job(p.jobId);
        if (!job || job.serverId !== p.id) throw new AppError(404, 'not_found', 'No such backup job of this server.');
        ctx.body = { job: presentJob(job) };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/servers/:id/backups/:name/download',
      summary: 'Download a backup of the server, decrypted: a tar.gz of its files (and the manifest with their checksums).',
      tag: 'servers',
      access: access('server.backup.view'),
      params: named,
      responses: { 200: { description: 'The tar.gz' }, 404: { description: 'No such backup' } },
      handler: async (ctx, { params: p }) => {
        const stream = await s.backups.servers.open(p.id, p.name);
        const file = p.name.replace(/\.age$/, '');
        ctx.set('Content-Type', 'application/gzip');
        ctx.set('Content-Disposition', `attachment; filename="${file}"`);
        ctx.set('X-Content-Type-Options', 'nosniff');
        ctx.body = stream;
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/servers/:id/backups/:name/restore',
      summary: 'Replace the server\'s files with the backup\'s. The server must be stopped; the backup is checked whole (and against the disk limit) before anything changes.',
      tag: 'servers',
      access: access('server.backup.restore'),
      params: named,
      responses: {
        200: { description: 'Restored', schema: z.object({ files: z.number(), bytes: z.number() }) },
        400: { description: 'backup_invalid' },
        409: { description: 'server_running, backup_running' },
        413: { description: 'disk_limit_exceeded' },
      },
      handler: async (ctx, { params: p }) => {
        const server = await s.servers.get(p.id);
        if (server.state !== 'stopped' && server.state !== 'crashed') throw conflict('server_running', 'Stop the server first: its files are replaced whole.');
        const area = await s.servers.fileArea(p.id);
        const result = await s.backups.servers.restore(ctx.state.caller, { id: server.id, name: server.name, shortId: server.shortId }, p.name, { dataDir: area.root, maxBytes: area.diskLimitBytes });
        await s.servers.adoptDataDir(p.id);
        ctx.body = result;
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/servers/:id/backups/:name',
      summary: 'Delete a backup of the server.',
      tag: 'servers',
      access: access('server.backup.delete'),
      params: named,
      responses: { 204: { description: 'Deleted' }, 404: { description: 'No such backup' } },
      handler: async (ctx, { params: p }) => {
        await s.backups.servers.remove(ctx.state.caller, await serverRef(p.id), p.name);
        ctx.status = 204;
      },
    }),
  ];
};
