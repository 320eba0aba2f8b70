// The backup file: a tar archive, gzip-compressed, encrypted with age. Its last entry is manifest.json, which lists
// every other entry with its size, mode and SHA-256, so a backup can be checked whole without being restored.
import { Transform } from 'node:stream';
import { z } from 'zod';

export const BACKUP_FORMAT = 'aether-backup';
export const BACKUP_VERSION = 1;
export const MANIFEST_ENTRY = 'manifest.json';
export const BACKUP_EXTENSION = '.tar.gz.age';

/** Where each part of the panel's state lives in the archive. */
export const ENTRY = {
  sqlite: 'database/database.sqlite',
  config: 'config/config.json',
  keysDir: 'keys/',
  auditLog: 'logs/audit.log',
  serversDir: 'servers/',
} as const;

export const manifestEntrySchema = z.strictObject({
  path: z.string().min(1).max(4096),
  type: z.enum(['file', 'directory']),
  size: z.number().int().min(0),
  mode: z.number().int().min(0).max(0o7777),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
});

export const manifestSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_VERSION),
  createdAt: z.string(),
  panelVersion: z.string(),
  kind: z.enum(['panel', 'server']),
  /** The newest database migration the backup's database has. */
  migration: z.string().nullable(),
  /**
   * How the database entry is kept: always a SQLite file (ENTRY.sqlite), whichever engine the panel ran on (a backup
   * of a MySQL or PostgreSQL database restores onto any engine, and reads as before everywhere). Null in server backups.
   */
  database: z.enum(['sqlite']).nullable(),
  includesServerFiles: z.boolean(),
  servers: z.array(z.strictObject({ id: z.string(), name: z.string(), shortId: z.string() })),
  entries: z.array(manifestEntrySchema),
});

export type ManifestEntry = z.infer<typeof manifestEntrySchema>;
export type Manifest = z.infer<typeof manifestSchema>;

/**
 * Whether an archive name is one a backup may hold: relative, "/"-separated, no "." or ".." parts, no NUL or
 * backslash, and under one of the known top-level parts. Anything else is refused whole before a byte is written.
 */
export function safeEntryName(name: string): boolean {
  if (name === MANIFEST_ENTRY) return true;
  if (name.length === 0 || name.length > 4096 || name.startsWith('/') || /[\0\\]/.test(name)) return false;
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '' || p === '.' || p === '..')) return false;
  return name === ENTRY.sqlite || name === ENTRY.config || name === ENTRY.auditLog || ((name.startsWith(ENTRY.keysDir) || name.startsWith(ENTRY.serversDir)) && parts.length >= 2);
}

/** A backup's file name: when it was made and what it holds, sortable by time. */
export const backupFileName = (at: Date, label: string) => `aether-${at.toISOString().replace(/[:.]/g, '-')}-${label}${BACKUP_EXTENSION}`;

/** A pass-through stream that shows each chunk to `see` (hashing and counting what goes by); a throw fails the stream. */
export const tap = (see: (chunk: Buffer) => void) =>
  new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        see(chunk);
      } catch (err) {
        done(err as Error);
        return;
      }
      done(null, chunk);
    },
  });
