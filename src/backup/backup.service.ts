// Backups of the panel: made by hand (CLI, API) or on schedule (daily: database, config, keys; weekly: the same and
// every server's files), encrypted to the configured age recipients or with AETHER_BACKUP_PASSPHRASE, kept in the
// backup directory (and copied to an off-site one), pruned by the retention policy, and tested by a scheduled
// restore into a temporary directory. A failed backup or restore test is audited, which raises an alert. The database
// goes in as a SQLite file whatever its engine (SQLite, MySQL/MariaDB, PostgreSQL), so the restore test opens SQLite.
import { randomUUID } from 'node:crypto';
import { copyFileSync, createReadStream, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { AuditService } from '../audit/index.ts';
import { auditFrom, systemCaller, type Caller } from '../auth/caller.ts';
import type { LoadedConfig } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import type { ConfinedFs } from '../files/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, conflict, notFound } from '../shared/errors.ts';
import { loadOrCreateSecretFile } from '../shared/key-file.ts';
import type { Logger } from '../shared/logger.ts';
import { decryptStream, newIdentity, recipientOf, type Opening, type Sealing } from './age.ts';
import { writeDatabaseEntry } from './database-entry.ts';
import { restoreServerFiles } from './server-restore.ts';
import { copyToSftp, removeFromSftp } from './offsite-sftp.ts';
import { BACKUP_EXTENSION, backupFileName, type Manifest } from './format.ts';
import { readBackup } from './reader.ts';
import { testRestore, type RestoreTestResult } from './restore-test.ts';
import { backupsToKeep } from './retention.ts';
import { writeBackup, type BackupProgress } from './writer.ts';

export type BackupLabel = 'manual' | 'daily' | 'weekly';

export type BackupFile = { name: string; label: BackupLabel | 'other'; bytes: number; createdAt: string; withFiles: boolean };

export type BackupJob = {
  id: string;
  /** The server of a server backup (null: the panel's). */
  serverId: string | null;
  label: BackupLabel | 'server';
  withFiles: boolean;
  state: 'running' | 'done' | 'failed';
  progress: BackupProgress;
  startedAt: string;
  finishedAt: string | null;
  file: string | null;
  bytes: number | null;
  error: string | null;
};

export type ServerBackupFile = { name: string; bytes: number; createdAt: string };


const NAME = /^aether-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)-(manual|daily|weekly)(-files)?\.tar\.gz\.age$/;
const SERVER_NAME = /^aether-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)-server\.tar\.gz\.age$/;
/** A server's own backups are kept apart from the panel's, one directory per server. */
const SERVER_ID = /^[A-Za-z0-9-]{1,64}$/;
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

/** When a name says the backup was made ("2026-11-27T03-00-00-000Z" → a Date). */
const parseStamp = (s: string) => new Date(s.replace(/T(\d\d)-(\d\d)-(\d\d)-(\d{3})Z$/, 'T$1:$2:$3.$4Z'));

/** The most recent moment at or before `now` that is HH:MM UTC on one of `days` (0 Sunday … 6 Saturday). */
export function lastSlot(now: Date, hhmm: string, days: readonly number[] = [0, 1, 2, 3, 4, 5, 6]): Date {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  for (let back = 0; back <= 7; back += 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - back, h, m));
    if (d.getTime() <= now.getTime() && days.includes(d.getUTCDay())) return d;
  }
  return new Date(0);
}

/** The panel backups in a backup directory, newest first. */
export function listBackupFiles(dir: string): BackupFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith(BACKUP_EXTENSION) && !n.startsWith('.'))
    .map((name): BackupFile => {
      const m = NAME.exec(name);
      const st = statSync(join(dir, name));
      return {
        name,
        label: (m?.[2] as BackupLabel | undefined) ?? 'other',
        bytes: st.size,
        createdAt: (m ? parseStamp(m[1]!) : st.mtime).toISOString(),
        withFiles: Boolean(m?.[3]),
      };
    })
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export type BackupService = ReturnType<typeof createBackupService>;

export function createBackupService(deps: {
  config: LoadedConfig;
  db: Db;
  clock: Clock;
  audit: AuditService;
  logger: Logger;
  /** From AETHER_BACKUP_PASSPHRASE: used when no recipients are configured (and to open backups). */
  passphrase: string | null;
  panelVersion: string;
  servers: { all(): Promise<Array<{ id: string; name: string; shortId: string }>>; files(id: string): Promise<ConfinedFs> };
}) {
  const { config, db, clock, audit, logger } = deps;
  const dir = config.paths.backupDir;
  const system = systemCaller('backup');
  const jobs = new Map<string, BackupJob>();
  let running: Promise<unknown> | null = null;
  // Stopping the panel ends a backup being made (it is left out, never half-written) instead of waiting for it.
  let stopping = new AbortController();
  let lastRestoreTest: RestoreTestResult | null = null;
  let timer: NodeJS.Timeout | null = null;

  /**
   * The panel's own identity, made on first use and kept in its keys (never in the database): every backup made to
   * recipients is encrypted to it too, so the scheduled restore test can open them. The administrators' identities
   * stay off the machine; a backup copied off site is opened by either, and by nothing the off-site store holds.
   */
  let host: Promise<{ identity: string; recipient: string }> | null = null;
  const hostIdentity = () =>
    (host ??= (async () => {
      const fresh = await newIdentity();
      const identity = loadOrCreateSecretFile(join(config.paths.dataDir, 'keys'), 'backup-restore-test.age', () => `${fresh.identity}\n`).trim();
      return { identity, recipient: await recipientOf(identity) };
    })());
  const configured = (): 'recipients' | 'passphrase' | null => (config.backup.recipients.length ? 'recipients' : deps.passphrase ? 'passphrase' : null);
  const toRecipients = async (): Promise<Sealing> => {
    const host = await hostIdentity();
    return { recipients: [...config.backup.recipients, host.recipient], identity: host.identity };
  };
  const sealing = async (): Promise<Sealing | null> => (config.backup.recipients.length > 0 ? toRecipients() : deps.passphrase ? { passphrase: deps.passphrase } : null);
  const ownOpening = async (): Promise<Opening> => ({ identities: [(await hostIdentity()).identity], passphrases: deps.passphrase ? [deps.passphrase] : [] });
  /** The panel's database as of one moment, written into a new SQLite file (the backup's database entry). */
  const databaseEntry = (dest: string) =>
    writeDatabaseEntry(config.database.client === 'sqlite' ? { engine: 'sqlite', sqlitePath: config.paths.database! } : { engine: config.database.client, db }, dest);

  const list = (): BackupFile[] => listBackupFiles(dir);

  /** The path of a backup by its name, refusing anything that is not one of the backup directory's backups. */
  function pathOf(name: string): string {
    if (!NAME.test(name) && !(name.endsWith(BACKUP_EXTENSION) && !name.includes('/') && !name.startsWith('.'))) throw notFound('Backup');
    const path = join(dir, basename(name));
    if (!existsSync(path)) throw notFound('Backup');
    return path;
  }

  async function migration(): Promise<string | null> {
    const row = (await db('knex_migrations').max('name as name').first().catch(() => null)) as { name?: string | null } | null;
    return row?.name ?? null;
  }

  /** Deletes scheduled backups the retention policy no longer keeps (each series on its own), here and off site. */
  async function prune(): Promise<string[]> {
    const removed: string[] = [];
    const scheduled = list().filter((b) => b.label === 'daily' || b.label === 'weekly');
    for (const series of [scheduled.filter((b) => !b.withFiles), scheduled.filter((b) => b.withFiles)]) {
      const keep = backupsToKeep(series.map((b) => ({ id: b.name, at: new Date(b.createdAt) })), config.backup.retention);
      for (const b of series) {
        if (keep.has(b.name)) continue;
        rmSync(join(dir, b.name), { force: true });
        if (config.backup.offsiteDir) rmSync(join(config.backup.offsiteDir, b.name), { force: true });
        removed.push(b.name);
      }
    }
    const sftp = config.backup.offsiteSftp;
    if (sftp && removed.length) {
      await removeFromSftp(sftp, removed).catch((err: unknown) => audit.record({ type: 'backup.offsite_failed', ...auditFrom(system), target: null, outcome: 'failure', details: { reason: (err as Error).message.slice(0, 500), removing: removed.length } }));
    }
    if (removed.length) await audit.record({ type: 'backup.pruned', ...auditFrom(system), target: null, outcome: 'success', details: { removed: removed.length, names: removed.slice(0, 50) } });
    return removed;
  }

  /** Copies a finished backup to the off-site directory (as a temporary file renamed when whole). */
  function copyOffsite(file: string): void {
    const off = config.backup.offsiteDir;
    if (!off) return;
    mkdirSync(off, { recursive: true, mode: 0o700 });
    const tmp = join(off, `.${basename(file)}.partial`);
    copyFileSync(file, tmp);
    renameSync(tmp, join(off, basename(file)));
  }

  /**
   * Runs one backup job (one at a time): it is listed at once with its progress; `make` writes the backup and records
   * it, and a failure is kept on the job and handed to `failed` to record.
   */
  function startJob(
    meta: Pick<BackupJob, 'serverId' | 'label' | 'withFiles'>,
    now: Date,
    make: (job: BackupJob) => Promise<void>,
    failed: (message: string, err: unknown) => Promise<void>,
  ): { job: BackupJob; done: Promise<BackupJob> } {
    const job: BackupJob = { id: randomUUID(), ...meta, state: 'running', progress: { phase: 'preparing', doneBytes: 0, totalBytes: 0 }, startedAt: now.toISOString(), finishedAt: null, file: null, bytes: null, error: null };
    jobs.set(job.id, job);
    const done = (async () => {
      try {
        await make(job);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        Object.assign(job, { state: 'failed', error: message, finishedAt: new Date(clock.now()).toISOString() });
        await failed(message, err);
      } finally {
        running = null;
      }
      return job;
    })();
    running = done;
    return { job, done };
  }
  const finished = (job: BackupJob, written: { file: string; bytes: number }) =>
    Object.assign(job, { state: 'done', file: written.file, bytes: written.bytes, finishedAt: new Date(clock.now()).toISOString() });

  /** Starts a backup; the job is returned at once and its `done` settles when it ends. */
  function create(caller: Caller, opts: { label: BackupLabel; withFiles: boolean; out?: string }): { job: BackupJob; done: Promise<BackupJob> } {
    if (running) throw conflict('backup_running', 'A backup is being made already; wait for it to finish.');
    if (!configured()) {
      throw new AppError(409, 'backup_not_configured', 'Backups need an age recipient (backup.recipients in the configuration; aether backup keygen makes one) or AETHER_BACKUP_PASSPHRASE.');
    }
    const now = new Date(clock.now());
    const out = opts.out ?? join(dir, backupFileName(now, `${opts.label}${opts.withFiles ? '-files' : ''}`));
    return startJob(
      { serverId: null, label: opts.label, withFiles: opts.withFiles },
      now,
      async (job) => {
        mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
        const seal = (await sealing())!;
        const known = await deps.servers.all();
        const written = await writeBackup(
          {
            kind: 'panel',
            panel: { configPath: config.configPath, keysDir: join(config.paths.dataDir, 'keys'), logDir: config.paths.logDir, migration: await migration(), database: databaseEntry },
            servers: opts.withFiles ? known.map((s) => ({ ...s, files: () => deps.servers.files(s.id) })) : [],
            knownServers: known,
            panelVersion: deps.panelVersion,
          },
          { out, sealing: seal, now, onProgress: (p) => (job.progress = p), signal: stopping.signal },
        );
        copyOffsite(written.file);
        // The backup is made either way; a copy that could not leave the machine is audited, which raises an alert.
        const sftp = config.backup.offsiteSftp;
        const offsiteError = sftp ? await copyToSftp(sftp, written.file).then(() => null, (err: unknown) => (err as Error).message) : null;
        if (offsiteError) {
          await audit.record({ type: 'backup.offsite_failed', ...auditFrom(caller), target: { type: 'backup', id: basename(written.file), name: basename(written.file) }, outcome: 'failure', details: { reason: offsiteError.slice(0, 500) } });
        }
        finished(job, written);
        await audit.record({
          type: 'backup.created',
          ...auditFrom(caller),
          target: { type: 'backup', id: basename(written.file), name: basename(written.file) },
          outcome: 'success',
          details: {
            label: opts.label,
            withFiles: opts.withFiles,
            bytes: written.bytes,
            sha256: written.sha256,
            entries: written.manifest.entries.length,
            // The engine the database was read from, and its rows per table as the snapshot held them.
            database: written.database,
            encryptedTo: 'passphrase' in seal ? 'passphrase' : `${seal.recipients.length - 1} recipient(s) and the panel's restore-test key`,
            offsite: [config.backup.offsiteDir ? 'directory' : null, sftp && !offsiteError ? 'sftp' : null].filter(Boolean).join(', ') || 'none',
          },
        });
        if (opts.label !== 'manual') await prune();
      },
      async (message, err) => {
        logger.error({ err }, 'backup failed');
        await audit.record({ type: 'backup.failed', ...auditFrom(caller), target: { type: 'backup', id: null, name: basename(out) }, outcome: 'failure', details: { reason: message.slice(0, 500), label: opts.label, withFiles: opts.withFiles } });
      },
    );
  }

  // A server's own backups (its users make, restore and download them): encrypted to the panel's own key (and the
  // configured recipients), so they are opened here to restore or download, and nowhere else without an identity.
  const serverDir = (id: string) => {
    if (!SERVER_ID.test(id)) throw notFound('Server');
    return join(dir, 'servers', id);
  };
  function listServer(id: string): ServerBackupFile[] {
    const d = serverDir(id);
    if (!existsSync(d)) return [];
    return readdirSync(d)
      .filter((n) => SERVER_NAME.test(n))
      .map((name) => ({ name, bytes: statSync(join(d, name)).size, createdAt: parseStamp(SERVER_NAME.exec(name)![1]!).toISOString() }))
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }
  function serverBackupPath(id: string, name: string): string {
    if (!SERVER_NAME.test(name)) throw notFound('Backup');
    const path = join(serverDir(id), name);
    if (!existsSync(path)) throw notFound('Backup');
    return path;
  }
  type ServerRef = { id: string; name: string; shortId: string };
  const serverTarget = (s: ServerRef) => ({ type: 'server', id: s.id, name: s.name });

  function createServer(caller: Caller, server: ServerRef): { job: BackupJob; done: Promise<BackupJob> } {
    if (running) throw conflict('backup_running', 'A backup is being made already; wait for it to finish.');
    if (listServer(server.id).length >= config.backup.perServer) {
      throw conflict('too_many_backups', `This server has ${config.backup.perServer} backups (backup.perServer): delete one first.`);
    }
    const now = new Date(clock.now());
    const out = join(serverDir(server.id), backupFileName(now, 'server'));
    return startJob(
      { serverId: server.id, label: 'server', withFiles: true },
      now,
      async (job) => {
        mkdirSync(dirname(out), { recursive: true, mode: 0o700 });
        const written = await writeBackup(
          { kind: 'server', panel: null, servers: [{ ...server, files: () => deps.servers.files(server.id) }], knownServers: [server], panelVersion: deps.panelVersion },
          { out, sealing: await toRecipients(), now, onProgress: (p) => (job.progress = p), signal: stopping.signal },
        );
        finished(job, written);
        await audit.record({ type: 'server.backup.created', ...auditFrom(caller), target: serverTarget(server), outcome: 'success', details: { backup: basename(out), bytes: written.bytes, files: written.manifest.entries.filter((e) => e.type === 'file').length } });
      },
      async (message, err) => {
        logger.error({ err, server: server.id }, 'server backup failed');
        await audit.record({ type: 'server.backup.failed', ...auditFrom(caller), target: serverTarget(server), outcome: 'failure', details: { reason: message.slice(0, 500) } });
      },
    );
  }

  /** Restores the newest backup into a temporary directory and checks it: database, audit chain, users. */
  async function restoreTest(): Promise<RestoreTestResult> {
    const newest = list()[0];
    const result = await testRestore(newest ? join(dir, newest.name) : null, newest?.name ?? null, ownOpening, new Date(clock.now()).toISOString());
    lastRestoreTest = result;
    await audit.record({
      type: result.ok ? 'restore_test.passed' : 'restore_test.failed',
      ...auditFrom(system),
      target: { type: 'backup', id: result.backup, name: result.backup },
      outcome: result.ok ? 'success' : 'failure',
      details: { reason: result.detail.slice(0, 500), users: result.users, auditEvents: result.auditEvents },
    });
    return result;
  }

  /** Runs what the schedule says is due now: the weekly backup, else the daily one, else the restore test. */
  async function tick(): Promise<void> {
    if (running || !config.backup.schedule.enabled || !configured()) return;
    const now = new Date(clock.now());
    const s = config.backup.schedule;
    const backups = list();
    const newest = (pred: (b: BackupFile) => boolean) => backups.find(pred)?.createdAt ?? '';
    const weeklySlot = lastSlot(now, s.weeklyAtUtc, [WEEKDAYS.indexOf(s.weeklyOn)]);
    const dailySlot = lastSlot(now, s.dailyAtUtc);
    if (newest((b) => b.label === 'weekly') < weeklySlot.toISOString() && now.getTime() - weeklySlot.getTime() < 86_400_000) {
      await create(system, { label: 'weekly', withFiles: true }).done;
    } else if (newest((b) => b.label === 'daily' || b.label === 'weekly') < dailySlot.toISOString() && now.getTime() - dailySlot.getTime() < 86_400_000) {
      await create(system, { label: 'daily', withFiles: false }).done;
    } else if (s.restoreTestDays > 0 && backups.length > 0 && (!lastRestoreTest || now.getTime() - Date.parse(lastRestoreTest.at) >= s.restoreTestDays * 86_400_000)) {
      await restoreTest();
    }
  }

  return {
    list,
    pathOf,
    create,
    prune,
    restoreTest,
    tick,
    /** What a backup holds and whether it is whole: every entry checked against the manifest. */
    verify: async (file: string, opening?: Opening): Promise<Manifest> => readBackup(file, opening ?? (await ownOpening())),
    servers: {
      /** Most backups one server may keep. */
      limit: config.backup.perServer,
      list: listServer,
      create: createServer,
      /** Replaces the server's files with the backup's (checked whole first); the server must be stopped. */
      async restore(caller: Caller, server: ServerRef, name: string, target: { dataDir: string; maxBytes: number }): Promise<{ files: number; bytes: number }> {
        if (running) throw conflict('backup_running', 'A backup is being made; wait for it to finish.');
        const path = serverBackupPath(server.id, name);
        const result = await restoreServerFiles(path, await ownOpening(), server.id, target.dataDir, { maxBytes: target.maxBytes });
        await audit.record({ type: 'server.backup.restored', ...auditFrom(caller), target: serverTarget(server), outcome: 'success', details: { backup: name, ...result } });
        return result;
      },
      /** The backup decrypted (a tar.gz of the server's files and the manifest), for its users to download. */
      async open(id: string, name: string): Promise<Readable> {
        return decryptStream(createReadStream(serverBackupPath(id, name)), await ownOpening());
      },
      async remove(caller: Caller, server: ServerRef, name: string): Promise<void> {
        rmSync(serverBackupPath(server.id, name));
        await audit.record({ type: 'server.backup.deleted', ...auditFrom(caller), target: serverTarget(server), outcome: 'success', details: { backup: name } });
      },
    },
    jobs: (): BackupJob[] => [...jobs.values()].sort((a, b) => b.startedAt.localeCompare(a.startedAt)).slice(0, 20),
    job: (id: string): BackupJob | undefined => jobs.get(id),
    configured,
    /** How backups are kept and scheduled, for the page that shows them. */
    settings: () => ({ offsite: Boolean(config.backup.offsiteDir || config.backup.offsiteSftp), schedule: { ...config.backup.schedule }, retention: { ...config.backup.retention } }),
    lastRestoreTest: () => lastRestoreTest,
    async remove(caller: Caller, name: string): Promise<void> {
      const path = pathOf(name);
      rmSync(path);
      await audit.record({ type: 'backup.deleted', ...auditFrom(caller), target: { type: 'backup', id: name, name }, outcome: 'success', details: {} });
    },
    start(): void {
      if (timer) return;
      timer = setInterval(() => void tick().catch((err: unknown) => logger.error({ err }, 'scheduled backup failed')), 60_000);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      stopping.abort(new Error('the panel is stopping'));
      await running?.catch(() => undefined);
      stopping = new AbortController();
    },
  };
}
