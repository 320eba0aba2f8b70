// Panel backups over HTTP: the list with the running job's progress and the last restore test, making one, checking
// one, downloading one (still encrypted) and deleting one, and running the restore test now. All need backups.manage.
// Restoring is done with the panel stopped: `aether restore`.
import { createReadStream, statSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';

const ACCESS = { scope: 'backups.manage' } as const;
const name = z.strictObject({ name: z.string().min(1).max(200).regex(/^[A-Za-z0-9._-]+$/, 'must be a backup file name') });

const progressSchema = z.object({ phase: z.enum(['preparing', 'writing', 'finishing']), doneBytes: z.number(), totalBytes: z.number() });
export const jobSchema = z.object({
  id: z.string(),
  serverId: z.string().nullable(),
  label: z.enum(['manual', 'daily', 'weekly', 'server']),
  withFiles: z.boolean(),
  state: z.enum(['running', 'done', 'failed']),
  progress: progressSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  file: z.string().nullable(),
  bytes: z.number().nullable(),
  error: z.string().nullable(),
});
const fileSchema = z.object({ name: z.string(), label: z.enum(['manual', 'daily', 'weekly', 'other']), bytes: z.number(), createdAt: z.string(), withFiles: z.boolean() });
const restoreTestSchema = z.object({ at: z.string(), ok: z.boolean(), backup: z.string().nullable(), detail: z.string(), users: z.number().nullable(), auditEvents: z.number().nullable() });

/** A job as the API shows it: the file by its name only (the backup directory is the panel's business). */
export const presentJob = <T extends { file: string | null }>(job: T) => ({ ...job, file: job.file ? job.file.slice(job.file.lastIndexOf('/') + 1) : null });

export const backupsRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/backups',
    summary: 'The backups (newest first), recent backup jobs with their progress, how backups are encrypted and scheduled, and the last restore test.',
    tag: 'backups',
    access: ACCESS,
    responses: {
      200: {
        description: 'Backups',
        schema: z.object({
          encryption: z.enum(['recipients', 'passphrase']).nullable().describe('null: backups are not set up (no recipients, no AETHER_BACKUP_PASSPHRASE).'),
          offsite: z.boolean(),
          schedule: z.object({ enabled: z.boolean(), dailyAtUtc: z.string(), weeklyOn: z.string(), weeklyAtUtc: z.string(), restoreTestDays: z.number() }),
          retention: z.object({ daily: z.number(), weekly: z.number(), monthly: z.number() }),
          items: z.array(fileSchema),
          jobs: z.array(jobSchema),
          lastRestoreTest: restoreTestSchema.nullable(),
        }),
      },
    },
    handler: async (ctx) => {
      ctx.body = {
        encryption: s.backups.configured(),
        ...s.backups.settings(),
        items: s.backups.list(),
        jobs: s.backups.jobs().filter((j) => j.serverId === null).map(presentJob),
        lastRestoreTest: s.backups.lastRestoreTest(),
      };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/backups',
    summary: 'Start a backup of the database, config and keys (files: true for every server\'s files too); follow it with GET /backups/jobs/:id.',
    tag: 'backups',
    access: ACCESS,
    body: z.strictObject({ files: z.boolean().default(false) }),
    responses: { 202: { description: 'Started', schema: z.object({ job: jobSchema }) }, 409: { description: 'backup_running, backup_not_configured' } },
    handler: async (ctx, { body }) => {
      const { job } = s.backups.create(ctx.state.caller, { label: 'manual', withFiles: body.files });
      ctx.status = 202;
      ctx.body = { job: presentJob(job) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/backups/jobs/:id',
    summary: 'One backup job: its state and progress.',
    tag: 'backups',
    access: ACCESS,
    params: z.strictObject({ id: z.string().uuid() }),
    responses: { 200: { description: 'The job', schema: z.object({ job: jobSchema }) }, 404: { description: 'No such job' } },
    handler: async (ctx, { params }) => {
      const job = s.backups.job(params.id);
      if (!job) throw new AppError(404, 'not_found', 'No such backup job (jobs are kept until the panel restarts).');
      ctx.body = { job: presentJob(job) };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/backups/restore-test',
    summary: 'Restore the newest backup into a temporary directory now and check it (the schedule does this every backup.schedule.restoreTestDays).',
    tag: 'backups',
    access: ACCESS,
    responses: { 200: { description: 'The result', schema: z.object({ result: restoreTestSchema }) } },
    handler: async (ctx) => {
      ctx.body = { result: await s.backups.restoreTest() };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/backups/:name/verify',
    summary: 'Decrypt a backup (with the panel\'s own key or passphrase) and check every entry against its manifest.',
    tag: 'backups',
    access: ACCESS,
    params: name,
    responses: {
      200: { description: 'Whole', schema: z.object({ createdAt: z.string(), panelVersion: z.string(), files: z.number(), bytes: z.number(), servers: z.number(), includesServerFiles: z.boolean() }) },
      400: { description: 'backup_invalid, cannot_decrypt' },
      404: { description: 'No such backup' },
    },
    handler: async (ctx, { params }) => {
      const m = await s.backups.verify(s.backups.pathOf(params.name));
      const files = m.entries.filter((e) => e.type === 'file');
      ctx.body = { createdAt: m.createdAt, panelVersion: m.panelVersion, files: files.length, bytes: files.reduce((n, e) => n + e.size, 0), servers: m.servers.length, includesServerFiles: m.includesServerFiles };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/backups/:name/download',
    summary: 'Download a backup as it is stored (encrypted): to keep it somewhere else.',
    tag: 'backups',
    access: ACCESS,
    params: name,
    responses: { 200: { description: 'The encrypted backup' }, 404: { description: 'No such backup' } },
    handler: async (ctx, { params }) => {
      const path = s.backups.pathOf(params.name);
      ctx.set('Content-Type', 'application/octet-stream');
      ctx.set('Content-Disposition', `attachment; filename="${params.name}"`);
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.length = statSync(path).size;
      ctx.body = createReadStream(path);
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/backups/:name',
    summary: 'Delete a backup (here; an off-site copy stays).',
    tag: 'backups',
    access: ACCESS,
    params: name,
    responses: { 204: { description: 'Deleted' }, 404: { description: 'No such backup' } },
    handler: async (ctx, { params }) => {
      await s.backups.remove(ctx.state.caller, params.name);
      ctx.status = 204;
    },
  }),
];
