// Restores one server's files from a server backup: the backup's files are unpacked into a directory beside the
// server's data directory and checked whole (every checksum, the disk limit) before the two are swapped, so a damaged
// or oversized backup leaves the server's files as they were.
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../shared/errors.ts';
import type { Opening } from './age.ts';
import { ENTRY } from './format.ts';
import { readBackup } from './reader.ts';
import { tap } from './format.ts';

export async function restoreServerFiles(file: string, opening: Opening, serverId: string, dataDir: string, opts: { maxBytes: number }): Promise<{ files: number; bytes: number }> {
  const prefix = `${ENTRY.serversDir}${serverId}/`;
  const staging = `${dataDir}.restoring-${randomBytes(6).toString('hex')}`;
  mkdirSync(staging, { mode: 0o750 });
  let files = 0;
  let bytes = 0;
  try {
    const manifest = await readBackup(file, opening, async (entry, content) => {
      // SECURITY: only this server's files, under its own directory; anything else in the backup is refused.
      if (!entry.name.startsWith(prefix)) throw new AppError(400, 'backup_invalid', 'This backup holds files of another server or of the panel.');
      const rel = entry.name.slice(prefix.length);
      const path = join(staging, rel);
      if (entry.type === 'directory') {
        mkdirSync(path, { recursive: true, mode: entry.mode & 0o777 || 0o750 });
        return;
      }
      mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
      await pipeline(
        content!,
        tap((chunk) => {
          bytes += chunk.length;
          if (bytes > opts.maxBytes) throw new AppError(413, 'disk_limit_exceeded', 'The backup is larger than the server\'s disk limit; raise the limit first.');
        }),
        createWriteStream(path, { flags: 'wx', mode: entry.mode & 0o777 }),
      );
      files += 1;
    });
    if (manifest.kind !== 'server' || !manifest.servers.some((s) => s.id === serverId)) throw new AppError(400, 'backup_invalid', 'This is not a backup of this server.');
    // Whole and checked: swap it in, then drop the old files.
    const old = `${dataDir}.replaced-${randomBytes(6).toString('hex')}`;
    renameSync(dataDir, old);
    renameSync(staging, dataDir);
    rmSync(old, { recursive: true, force: true });
    return { files, bytes };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
