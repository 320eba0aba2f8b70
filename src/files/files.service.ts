// Server files for callers: each server's confined filesystem (its data directory, its disk limit, its container's
// user as the owner of what is made), and the audit trail of every change and every refused escape.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import { directorySize } from '../servers/index.ts';
import { AppError } from '../shared/errors.ts';
import type { ExtractLimits } from './archives.ts';
import { createConfinedFs, type ConfinedFs } from './confined-fs.ts';

/** Refusals that are attempts to leave the server's files (or probes for them): audited as denied. */
const ESCAPES = new Set(['unsafe_path', 'unsafe_file', 'invalid_path']);
/** How old a measured size of the data directory may be when a write checks the disk limit. */
const SIZE_MAX_AGE_MS = 5_000;

export type FileArea = { root: string; owner: { uid: number; gid: number } | null; diskLimitBytes: number };
export type FilesService = ReturnType<typeof createFilesService>;

export type FileLimits = { maxUploadBytes: number; maxEditBytes: number; maxExtractBytes: number; maxExtractEntries: number };

export function createFilesService(deps: { servers: { fileArea(id: string): Promise<FileArea> }; audit: AuditService; limits: FileLimits }) {
  /** The server's files (404 for a server that does not exist). */
  async function fsOf(serverId: string): Promise<ConfinedFs> {
    const area = await deps.servers.fileArea(serverId);
    return createConfinedFs({ root: area.root, owner: area.owner, quotaLeft: () => quotaLeft(area) });
  }

  const quotaLeft = async (area: FileArea) => area.diskLimitBytes - (await directorySize(area.root, Date.now(), SIZE_MAX_AGE_MS));

  /** How much an archive of this server may expand to: files.maxExtractBytes, and what is left of its disk limit. */
  async function extractLimits(serverId: string): Promise<ExtractLimits> {
    const left = await quotaLeft(await deps.servers.fileArea(serverId));
    return { maxEntries: deps.limits.maxExtractEntries, maxBytes: Math.max(0, Math.min(deps.limits.maxExtractBytes, left)) };
  }

  /** Runs op on the server's files; records success when asked, and every attempt to reach outside them as denied. */
  async function run<T>(caller: Caller, serverId: string, action: string, details: Record<string, unknown>, recordSuccess: boolean, op: (fs: ConfinedFs) => Promise<T>): Promise<T> {
    const fs = await fsOf(serverId);
    const record = (outcome: 'success' | 'denied', extra: Record<string, unknown> = {}) =>
      deps.audit.record({ type: `file.${action}`, ...auditFrom(caller), target: { type: 'server', id: serverId, name: null }, outcome, details: { ...details, ...extra } });
    try {
      const out = await op(fs);
      if (recordSuccess) await record('success');
      return out;
    } catch (err) {
      if (err instanceof AppError && ESCAPES.has(err.code)) await record('denied', { reason: err.code });
      throw err;
    }
  }

  return {
    limits: deps.limits,
    fsOf,
    extractLimits,
    /** A change (write, delete, rename, mkdir, copy, chmod, extract): recorded as `file.<action>`. */
    change: <T>(caller: Caller, serverId: string, action: string, details: Record<string, unknown>, op: (fs: ConfinedFs) => Promise<T>) => run(caller, serverId, action, details, true, op),
    /** A read: recorded only when it was an attempt to reach outside the server's files. */
    read: <T>(caller: Caller, serverId: string, action: string, details: Record<string, unknown>, op: (fs: ConfinedFs) => Promise<T>) => run(caller, serverId, action, details, false, op),
  };
}
