// Restores a panel backup into a data directory: everything is unpacked into a staging directory beside it and
// checked (every checksum, SQLite's own integrity check) before anything is moved into place, so a damaged backup
// changes nothing. A directory that is not empty is only replaced with force, and then moved aside, not deleted.
// The backup's database (always a SQLite file) becomes the panel's SQLite file, or, on MySQL/MariaDB or PostgreSQL,
// replaces the rows of the configured database in one transaction before any file is moved.
import { randomBytes } from 'node:crypto';
import { cpSync, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { checkSqlite } from '../db/index.ts';
import { AppError } from '../shared/errors.ts';
import type { Opening } from './age.ts';
import { ENTRY } from './format.ts';
import type { Manifest } from './format.ts';
import { readBackup } from './reader.ts';
import { restoreIntoServer, type ServerDatabase } from './restore-database.ts';

export type RestoreTarget = {
  dataDir: string;
  /**
   * Where the database goes: the SQLite file (the configured one, usually inside dataDir), or the configured MySQL or
   * PostgreSQL database, whose rows are replaced (with force when it holds rows; those are saved into a SQLite file
   * beside the data directory first).
   */
  database: { sqlitePath: string } | { server: ServerDatabase };
  /**
   * config.json: written if absent; with force an existing one is moved aside when the backup's names the same
   * database as `database`; otherwise the backup's copy is put beside it.
   */
  configPath: string;
  logDir: string;
  /** Where servers' data directories go (default <dataDir>/servers). */
  serversDir: string;
};

export type RestoreResult = {
  manifest: Manifest;
  movedAside: string[];
  configWritten: string | null;
  files: number;
  /** Rows written into a MySQL/PostgreSQL database (null: the SQLite file was put in place). */
  rowsRestored: number | null;
  /** The backup's config.json names another database than the one restored into (so it was put beside the one in place). */
  configNamesOtherDatabase: boolean;
};

const isEmptyDir = (dir: string) => !existsSync(dir) || readdirSync(dir).length === 0;

type NamedDatabase = { client: string; host?: string; port?: number; database?: string };

/** Which database a configuration names: "sqlite", or "engine://host:port/name". */
function databaseKey(database: NamedDatabase): string {
  if (database.client === 'sqlite') return 'sqlite';
  return `${database.client}://${database.host ?? '127.0.0.1'}:${database.port ?? (database.client === 'mysql' ? 3306 : 5432)}/${database.database ?? ''}`;
}

/** The database the config.json at `file` names (SQLite when it has no database section); null when unreadable. */
function configDatabaseKey(file: string): string | null {
  try {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as { database?: NamedDatabase };
    return databaseKey(raw.database ?? { client: 'sqlite' });
  } catch {
    return null;
  }
}

/** A rename, or a copy and delete when the two places are on different filesystems. */
function place(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    cpSync(from, to, { recursive: true, preserveTimestamps: true, errorOnExist: true, force: false });
    rmSync(from, { recursive: true, force: true });
  }
}

/** Moves `path` aside as `<path>.before-restore-<stamp>` (when it exists), and returns where it went. */
function moveAside(path: string, stamp: string, moved: string[]): void {
  if (!existsSync(path)) return;
  const aside = `${path}.before-restore-${stamp}`;
  renameSync(path, aside);
  moved.push(aside);
}

export async function restoreBackup(file: string, opening: Opening, target: RestoreTarget, opts: { force: boolean; now: Date }): Promise<RestoreResult> {
  const dataDir = resolve(target.dataDir);
  if (!isEmptyDir(dataDir) && !opts.force) {
    throw new AppError(409, 'data_dir_not_empty', `${dataDir} is not empty: restore into an empty directory, or pass --force to move what is there aside first.`);
  }
  const stamp = opts.now.toISOString().replace(/[:.]/g, '-');
  mkdirSync(dirname(dataDir), { recursive: true });
  const staging = `${dataDir}.restoring-${randomBytes(6).toString('hex')}`;
  mkdirSync(staging, { mode: 0o700 });
  let files = 0;
  try {
    // Each entry's place in the staging directory; the names were checked by the reader (no "..", no absolute).
    const manifest = await readBackup(file, opening, async (entry, content) => {
      const path = join(staging, entry.name);
      if (entry.type === 'directory') {
        mkdirSync(path, { recursive: true, mode: entry.mode & 0o777 || 0o750 });
        return;
      }
      mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
      const secret = entry.name.startsWith(ENTRY.keysDir) || entry.name === ENTRY.config || entry.name === ENTRY.sqlite;
      await pipeline(content!, createWriteStream(path, { flags: 'wx', mode: secret ? 0o600 : entry.mode & 0o777 }));
      files += 1;
    });
    if (manifest.kind !== 'panel' || manifest.database !== 'sqlite') throw new AppError(400, 'not_a_panel_backup', 'This is a backup of one server\'s files; restore it from the server\'s Backups.');
    const integrity = checkSqlite(join(staging, ENTRY.sqlite));
    if (integrity !== 'ok') throw new AppError(400, 'backup_invalid', `The backup's database fails SQLite's integrity check: ${integrity}.`);

    // Checked whole. A server database first: its one transaction either replaces every row or changes nothing, and
    // only then is any file moved.
    const moved: string[] = [];
    let rowsRestored: number | null = null;
    if ('server' in target.database) {
      const saved = join(staging, 'database-before-restore.sqlite');
      const restored = await restoreIntoServer(join(staging, ENTRY.sqlite), target.database.server, { force: opts.force, saveTo: saved });
      rowsRestored = restored.rows;
      if (restored.saved) {
        const aside = `${dataDir}.before-restore-${stamp}.database.sqlite`;
        place(saved, aside);
        moved.push(aside);
      }
    }
    if (!isEmptyDir(dataDir)) moveAside(dataDir, stamp, moved);
    mkdirSync(dataDir, { recursive: true, mode: 0o750 });
    if ('sqlitePath' in target.database) {
      const sqlitePath = target.database.sqlitePath;
      mkdirSync(dirname(sqlitePath), { recursive: true, mode: 0o700 });
      for (const suffix of ['', '-wal', '-shm']) if (existsSync(sqlitePath + suffix)) moveAside(sqlitePath + suffix, stamp, moved);
      place(join(staging, ENTRY.sqlite), sqlitePath);
    }
    const keys = join(dataDir, 'keys');
    if (existsSync(join(staging, 'keys'))) {
      moveAside(keys, stamp, moved);
      place(join(staging, 'keys'), keys);
    }
    if (existsSync(join(staging, ENTRY.auditLog))) {
      mkdirSync(target.logDir, { recursive: true, mode: 0o750 });
      moveAside(join(target.logDir, 'audit.log'), stamp, moved);
      place(join(staging, ENTRY.auditLog), join(target.logDir, 'audit.log'));
    }
    if (existsSync(join(staging, 'servers'))) {
      mkdirSync(target.serversDir, { recursive: true, mode: 0o750 });
      for (const id of readdirSync(join(staging, 'servers'))) {
        const dest = join(target.serversDir, id);
        moveAside(dest, stamp, moved);
        place(join(staging, 'servers', id), dest);
      }
    }
    let configWritten: string | null = null;
    let configNamesOtherDatabase = false;
    const configCopy = join(staging, ENTRY.config);
    if (existsSync(configCopy)) {
      // A backup restored onto another engine or server keeps the configuration that points at the database it went
      // into: the backup's replaces it only when both name the same one.
      configNamesOtherDatabase = configDatabaseKey(configCopy) !== databaseKey('server' in target.database ? target.database.server : { client: 'sqlite' });
      if (existsSync(target.configPath) && (!opts.force || configNamesOtherDatabase)) {
        configWritten = `${target.configPath}.restored-${stamp}`;
      } else {
        moveAside(target.configPath, stamp, moved);
        configWritten = target.configPath;
      }
      mkdirSync(dirname(configWritten), { recursive: true });
      place(configCopy, configWritten);
    }
    return { manifest, movedAside: moved, configWritten, files, rowsRestored, configNamesOtherDatabase };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}
