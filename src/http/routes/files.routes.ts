// A server's files over HTTP: list, stat, download (ranges), the text editor's read, upload (streamed, atomic), mkdir,
// rename, copy, delete, chmod, archive and extract. Reading needs server.files.view, changing server.files.edit;
// every change is audited.
import { z } from 'zod';
import { createArchive, extractArchive, type Entry } from '../../files/index.ts';
import { AppError, badRequest } from '../../shared/errors.ts';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';

const params = z.strictObject({ id: z.string().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'must be an id') });
const path = z.string().max(4096).describe('From the server\'s root: "/" or "" is the root, "/world/level.dat" a file in it.');
const flag = z.enum(['true', 'false']).default('false').transform((v) => v === 'true');

const entrySchema = z.object({
  name: z.string(),
  type: z.enum(['file', 'directory', 'symlink', 'other']).describe('A symlink is shown, never followed; "other" is a FIFO, socket or device.'),
  size: z.number(),
  mode: z.string().describe('Permission bits in octal, e.g. "0644".'),
  modifiedAt: z.string(),
});
const present = (e: Entry) => ({ name: e.name, type: e.type, size: e.size, mode: `0${(e.mode & 0o777).toString(8).padStart(3, '0')}`, modifiedAt: e.modifiedAt.toISOString() });

const VIEW = { scope: 'server.files.view', serverParam: 'id' } as const;
const EDIT = { scope: 'server.files.edit', serverParam: 'id' } as const;
const errors = {
  400: { description: 'invalid_path, not_a_directory, not_a_file' },
  403: { description: 'forbidden; unsafe_path (through a symbolic link), unsafe_file (hard-linked)' },
  404: { description: 'not_found' },
};

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` of a file of `size` bytes: the inclusive range, or null when unsatisfiable. */
export function parseRange(header: string, size: number): { start: number; end: number } | null | 'ignore' {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges, or another unit: served whole, as RFC 9110 allows.
  if (!m || (m[1] === '' && m[2] === '')) return 'ignore';
  if (m[1] === '') {
    const n = Number(m[2]);
    return n === 0 || size === 0 ? null : { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return start >= size || end < start ? null : { start, end };
}

/** An attachment name any browser reads back as it was (RFC 6266 filename*), with a plain fallback. */
const disposition = (name: string) => `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const filesRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/servers/:id/files',
    summary: 'List a directory of the server\'s files: directories first, then by name (at most 10,000 entries; truncated says when there are more).',
    tag: 'files',
    access: VIEW,
    params,
    query: z.strictObject({ path: path.default('/') }),
    responses: { 200: { description: 'Entries', schema: z.object({ path: z.string(), entries: z.array(entrySchema), truncated: z.boolean() }) }, ...errors },
    handler: async (ctx, { params: p, query }) => {
      const listed = await s.files.read(ctx.state.caller, p.id, 'listed', { path: query.path }, (fs) => fs.list(query.path));
      ctx.body = { path: query.path || '/', entries: listed.entries.map(present), truncated: listed.truncated };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/servers/:id/files/stat',
    summary: 'One entry of the server\'s files, as it is (a link is reported as a link).',
    tag: 'files',
    access: VIEW,
    params,
    query: z.strictObject({ path }),
    responses: { 200: { description: 'The entry', schema: z.object({ entry: entrySchema }) }, ...errors },
    handler: async (ctx, { params: p, query }) => {
      ctx.body = { entry: present(await s.files.read(ctx.state.caller, p.id, 'stat', { path: query.path }, (fs) => fs.stat(query.path))) };
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/servers/:id/files/download',
    summary: 'Download a file (streamed; one byte range with Range: bytes=a-b). Always an attachment, never shown as a page.',
    tag: 'files',
    access: VIEW,
    params,
    query: z.strictObject({ path }),
    responses: { 200: { description: 'The file' }, 206: { description: 'The range asked for' }, 416: { description: 'range_not_satisfiable' }, ...errors },
    handler: async (ctx, { params: p, query }) => {
      const file = await s.files.read(ctx.state.caller, p.id, 'downloaded', { path: query.path }, (fs) => fs.openRead(query.path));
      let range: { start: number; end: number } | null = null;
      const header = ctx.get('Range');
      if (header) {
        const parsed = parseRange(header, file.size);
        if (parsed === null) {
          await file.handle.close();
          ctx.set('Content-Range', `bytes */${file.size}`);
          throw new AppError(416, 'range_not_satisfiable', `The file has ${file.size} bytes.`);
        }
        if (parsed !== 'ignore') range = parsed;
      }
      // SECURITY: server files are the container's (anyone's) content: never rendered by the browser as a page.
      ctx.set('Content-Type', 'application/octet-stream');
      ctx.set('Content-Disposition', disposition(file.name));
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.set('Accept-Ranges', 'bytes');
      ctx.set('Last-Modified', file.modifiedAt.toUTCString());
      if (range) {
        ctx.status = 206;
        ctx.set('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
      }
      const stream = file.handle.createReadStream(range ? { start: range.start, end: range.end } : {});
      ctx.body = stream;
      ctx.length = range ? range.end - range.start + 1 : file.size;
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/servers/:id/files/content',
    summary: 'A text file\'s content for the editor (UTF-8, at most files.maxEditBytes).',
    tag: 'files',
    access: VIEW,
    params,
    query: z.strictObject({ path }),
    responses: { 200: { description: 'The text', schema: z.object({ path: z.string(), content: z.string(), size: z.number() }) }, 413: { description: 'file_too_large' }, 415: { description: 'not_text' }, ...errors },
    handler: async (ctx, { params: p, query }) => {
      const data = await s.files.read(ctx.state.caller, p.id, 'read', { path: query.path }, (fs) => fs.readFile(query.path, s.files.limits.maxEditBytes));
      let content: string;
      try {
        if (data.includes(0)) throw new Error('NUL');
        content = new TextDecoder('utf-8', { fatal: true }).decode(data);
      } catch {
        throw new AppError(415, 'not_text', 'This file is not UTF-8 text; download it instead.');
      }
      ctx.body = { path: query.path, content, size: data.length };
    },
  }),
  defineRoute({
    method: 'PUT',
    path: '/servers/:id/files/upload',
    summary:
      'Write a file from the request body (raw bytes, streamed): written to a temporary file and renamed over the old one, so nothing half-written is ever seen. Refused past files.maxUploadBytes or the server\'s disk limit.',
    tag: 'files',
    access: EDIT,
    params,
    query: z.strictObject({ path, overwrite: z.enum(['true', 'false']).default('true').transform((v) => v === 'true') }),
    responses: {
      201: { description: 'Written', schema: z.object({ entry: entrySchema, bytes: z.number() }) },
      409: { description: 'already_exists (overwrite=false)' },
      413: { description: 'file_too_large, disk_limit_exceeded' },
      ...errors,
    },
    handler: async (ctx, { params: p, query }) => {
      const max = s.files.limits.maxUploadBytes;
      const declared = Number(ctx.get('Content-Length') || NaN);
      if (Number.isFinite(declared) && declared > max) throw new AppError(413, 'file_too_large', `The file is larger than ${max} bytes.`);
      const written = await s.files.change(ctx.state.caller, p.id, 'written', { path: query.path }, async (fs) => {
        try {
          const bytes = await fs.writeFile(query.path, ctx.req, { maxBytes: max, overwrite: query.overwrite });
          return { bytes, entry: await fs.stat(query.path) };
        } catch (err) {
          // The client went away mid-upload: nothing was written, and there is nobody to answer.
          if (!(err instanceof AppError) && (ctx.req.aborted || ctx.req.destroyed)) throw badRequest('upload_aborted', 'The upload ended before the whole file arrived; nothing was written.');
          throw err;
        }
      });
      ctx.status = 201;
      ctx.body = { entry: present(written.entry), bytes: written.bytes };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/files/mkdir',
    summary: 'Make a directory (and those above it with parents=true).',
    tag: 'files',
    access: EDIT,
    params,
    body: z.strictObject({ path, parents: z.boolean().default(false) }),
    responses: { 201: { description: 'Made' }, 409: { description: 'already_exists' }, ...errors },
    handler: async (ctx, { params: p, body }) => {
      await s.files.change(ctx.state.caller, p.id, 'mkdir', { path: body.path }, (fs) => fs.mkdir(body.path, { parents: body.parents }));
      ctx.status = 201;
      ctx.body = { path: body.path };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/files/rename',
    summary: 'Rename or move an entry within the server\'s files (a link moves as a link). Refuses to replace one unless overwrite.',
    tag: 'files',
    access: EDIT,
    params,
    body: z.strictObject({ from: path, to: path, overwrite: z.boolean().default(false) }),
    responses: { 204: { description: 'Moved' }, 409: { description: 'already_exists' }, ...errors },
    handler: async (ctx, { params: p, body }) => {
      await s.files.change(ctx.state.caller, p.id, 'renamed', { from: body.from, to: body.to }, (fs) => fs.rename(body.from, body.to, { overwrite: body.overwrite }));
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/files/copy',
    summary: 'Copy a file, or a directory with everything in it (links and special files left out), within the disk limit.',
    tag: 'files',
    access: EDIT,
    params,
    body: z.strictObject({ from: path, to: path }),
    responses: { 201: { description: 'Copied' }, 409: { description: 'already_exists' }, 413: { description: 'disk_limit_exceeded' }, ...errors },
    handler: async (ctx, { params: p, body }) => {
      await s.files.change(ctx.state.caller, p.id, 'copied', { from: body.from, to: body.to }, (fs) => fs.copy(body.from, body.to));
      ctx.status = 201;
      ctx.body = { path: body.to };
    },
  }),
  defineRoute({
    method: 'DELETE',
    path: '/servers/:id/files',
    summary: 'Delete a file or link (the link itself, never its target), or a directory (recursive=true for one that is not empty).',
    tag: 'files',
    access: EDIT,
    params,
    query: z.strictObject({ path, recursive: flag }),
    responses: { 204: { description: 'Deleted' }, 409: { description: 'directory_not_empty' }, ...errors },
    handler: async (ctx, { params: p, query }) => {
      await s.files.change(ctx.state.caller, p.id, 'deleted', { path: query.path, recursive: query.recursive }, (fs) => fs.remove(query.path, { recursive: query.recursive }));
      ctx.status = 204;
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/files/archive',
    summary: 'Make a tar.gz or zip archive of files and directories (links, special and hard-linked files left out) at a new path, within the disk limit.',
    tag: 'files',
    access: EDIT,
    params,
    body: z.strictObject({ paths: z.array(path).min(1).max(1000), to: path, format: z.enum(['tar.gz', 'zip']).default('tar.gz') }),
    responses: {
      201: { description: 'Made', schema: z.object({ entry: entrySchema, entries: z.number(), skipped: z.number().describe('Links, special and hard-linked files left out.') }) },
      409: { description: 'already_exists' },
      413: { description: 'disk_limit_exceeded' },
      ...errors,
    },
    handler: async (ctx, { params: p, body }) => {
      const made = await s.files.change(ctx.state.caller, p.id, 'archived', { paths: body.paths.slice(0, 20), to: body.to, format: body.format }, async (fs) => ({
        ...(await createArchive(fs, body.paths, body.to, body.format, s.files.limits.maxUploadBytes)),
        entry: await fs.stat(body.to),
      }));
      ctx.status = 201;
      ctx.body = { entry: present(made.entry), entries: made.entries, skipped: made.skipped };
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/files/extract',
    summary:
      'Extract a .zip, .tar.gz, .tgz or .tar archive into a directory (made if missing; files in it are replaced). The archive is read through first and refused whole for names that leave the directory, links, devices, or more entries or bytes than allowed.',
    tag: 'files',
    access: EDIT,
    params,
    body: z.strictObject({ path, to: path }),
    responses: {
      200: { description: 'Extracted', schema: z.object({ files: z.number(), directories: z.number(), bytes: z.number() }) },
      400: { description: 'unsafe_archive, unknown_archive, invalid_path' },
      413: { description: 'archive_too_large, disk_limit_exceeded' },
      403: errors[403],
      404: errors[404],
    },
    handler: async (ctx, { params: p, body }) => {
      const limits = await s.files.extractLimits(p.id);
      ctx.body = await s.files.change(ctx.state.caller, p.id, 'extracted', { path: body.path, to: body.to }, (fs) => extractArchive(fs, body.path, body.to, limits));
    },
  }),
  defineRoute({
    method: 'POST',
    path: '/servers/:id/files/chmod',
    summary: 'Set the permission bits of a file or directory ("0644"; read, write and execute only), never through a link.',
    tag: 'files',
    access: EDIT,
    params,
    body: z.strictObject({ path, mode: z.string().regex(/^0?[0-7]{3}$/, 'must be octal permission bits such as "0644"') }),
    responses: { 204: { description: 'Changed' }, ...errors },
    handler: async (ctx, { params: p, body }) => {
      const mode = Number.parseInt(body.mode, 8);
      await s.files.change(ctx.state.caller, p.id, 'chmod', { path: body.path, mode: body.mode }, (fs) => fs.chmod(body.path, mode));
      ctx.status = 204;
    },
  }),
];
