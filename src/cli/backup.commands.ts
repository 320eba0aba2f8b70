// Backup commands: make one (and wait for it), list them, check one, make an age identity, and restore a backup into a
// data directory and the configured database, SQLite, MySQL/MariaDB or PostgreSQL (with the panel stopped).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { verifyAuditChain } from '../audit/index.ts';
import { auditFrom, systemCaller } from '../auth/index.ts';
import { newIdentity, restoreBackup, type Opening } from '../backup/index.ts';
import { createDb, migrateLatest } from '../db/index.ts';
import { EXIT, UsageError, type Command } from './command.ts';
import type { CommandContext } from './context.ts';

const cli = systemCaller('cli');
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** What opens a backup: the identities in --identity FILE (age-keygen's format), and AETHER_BACKUP_PASSPHRASE. */
function openingFrom(ctx: CommandContext, identityFile: unknown): Opening {
  const identities =
    typeof identityFile === 'string'
      ? readFileSync(identityFile, 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l.startsWith('AGE-SECRET-KEY-'))
      : [];
  if (typeof identityFile === 'string' && identities.length === 0) throw new UsageError(`${identityFile} holds no age identity (AGE-SECRET-KEY-1…).`);
  const passphrase = ctx.env.AETHER_BACKUP_PASSPHRASE;
  return { identities, passphrases: passphrase ? [passphrase] : [] };
}

export const backupCreateCommand: Command = {
  name: 'backup create',
  summary: 'Make an encrypted backup of the database, config.json and keys (--files: and every server\'s files) and wait for it.',
  usage: 'aether backup create [--files] [--out FILE] [--config FILE]',
  options: { files: { type: 'boolean' }, out: { type: 'string' } },
  async run(ctx, v) {
    const { backups } = await ctx.services();
    const out = typeof v.out === 'string' ? resolve(v.out) : undefined;
    if (out && existsSync(out)) throw new UsageError(`${out} exists already.`);
    const { done } = backups.create(cli, { label: 'manual', withFiles: v.files === true, ...(out ? { out } : {}) });
    const job = await done;
    if (job.state !== 'done') {
      ctx.io.err(`Backup failed: ${job.error}`);
      return EXIT.failure;
    }
    ctx.io.out(`Backup written: ${job.file} (${mib(job.bytes ?? 0)}), encrypted to ${backups.configured() === 'recipients' ? 'the configured age recipients' : 'AETHER_BACKUP_PASSPHRASE'}.`);
    return EXIT.ok;
  },
};

export const backupListCommand: Command = {
  name: 'backup list',
  summary: 'List the backups in the backup directory, newest first.',
  usage: 'aether backup list [--config FILE]',
  options: {},
  async run(ctx) {
    const { backups } = await ctx.services();
    const list = backups.list();
    if (list.length === 0) ctx.io.out(`No backups in ${ctx.config().paths.backupDir}.`);
    for (const b of list) ctx.io.out(`${b.createdAt}  ${b.label.padEnd(6)}  ${b.withFiles ? 'with server files' : 'panel only      '}  ${mib(b.bytes).padStart(10)}  ${b.name}`);
    return EXIT.ok;
  },
};

export const backupVerifyCommand: Command = {
  name: 'backup verify',
  summary: 'Decrypt a backup and check every entry against its manifest\'s SHA-256 (AETHER_BACKUP_PASSPHRASE or --identity FILE).',
  usage: 'aether backup verify FILE [--identity FILE] [--config FILE]',
  options: { identity: { type: 'string' } },
  positionals: true,
  async run(ctx, v, positionals) {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError('Name one backup file.');
    if (!existsSync(file)) throw new UsageError(`${file} does not exist.`);
    const { readBackup } = await import('../backup/index.ts');
    const manifest = await readBackup(file, openingFrom(ctx, v.identity));
    const files = manifest.entries.filter((e) => e.type === 'file');
    ctx.io.out(`OK: ${file}`);
    ctx.io.out(`  made ${manifest.createdAt} by Aether Panel ${manifest.panelVersion}; ${files.length} file(s), ${mib(files.reduce((n, e) => n + e.size, 0))}, every checksum matches`);
    ctx.io.out(`  database at migration ${manifest.migration ?? '?'}; ${manifest.includesServerFiles ? `files of ${manifest.servers.length} server(s)` : 'no server files'}`);
    return EXIT.ok;
  },
};

export const backupKeygenCommand: Command = {
  name: 'backup keygen',
  summary: 'Make an age identity for backups: the identity goes to --out (mode 0600; keep it off this machine), its recipient is added to backup.recipients.',
  usage: 'aether backup keygen --out FILE [--config FILE]',
  options: { out: { type: 'string' } },
  async run(ctx, v) {
    if (typeof v.out !== 'string') throw new UsageError('--out FILE is required: where the identity is written.');
    if (existsSync(v.out)) throw new UsageError(`${v.out} exists already.`);
    const { identity, recipient } = await newIdentity();
    writeFileSync(v.out, `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`, { mode: 0o600, flag: 'wx' });
    const { writeConfigFile } = await import('../config/index.ts');
    const raw = JSON.parse(readFileSync(ctx.configPath, 'utf8')) as { backup?: { recipients?: string[] } };
    raw.backup = { ...raw.backup, recipients: [...(raw.backup?.recipients ?? []), recipient] };
    writeConfigFile(ctx.configPath, raw);
    ctx.io.out(`Identity written to ${v.out}; backups are now encrypted to ${recipient} (added to ${ctx.configPath}; restart the panel).`);
    ctx.io.out('Move the identity file off this machine: whoever holds it can read every backup, and without it none can be restored.');
    return EXIT.ok;
  },
};

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'Restore a panel backup (the panel stopped) into the data directory (empty, or --force to move what is there aside) and the configured database (on MySQL/PostgreSQL its rows are replaced; --force saves them first); every session is ended.',
  usage: 'aether restore FILE [--data-dir DIR] [--force] [--identity FILE] [--config FILE]',
  options: { 'data-dir': { type: 'string' }, force: { type: 'boolean' }, identity: { type: 'string' } },
  positionals: true,
  async run(ctx, v, positionals) {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError('Name one backup file.');
    if (!existsSync(file)) throw new UsageError(`${file} does not exist.`);
    const config = ctx.config();
    const dataDir = typeof v['data-dir'] === 'string' ? resolve(v['data-dir']) : config.paths.dataDir;
    const sqlitePath = config.database.client === 'sqlite' ? (isAbsolute(config.database.filename) ? config.database.filename : join(dataDir, config.database.filename)) : null;
    const logDir = config.logDir ? config.paths.logDir : join(dataDir, 'logs');
    const result = await restoreBackup(
      file,
      openingFrom(ctx, v.identity),
      {
        dataDir,
        // The backup holds a SQLite file: it becomes the panel's, or its rows replace those of the MySQL/PostgreSQL database.
        database: config.database.client === 'sqlite' ? { sqlitePath: sqlitePath! } : { server: config.database },
        configPath: config.configPath,
        logDir,
        serversDir: config.servers.dataDir ? resolve(config.servers.dataDir) : join(dataDir, 'servers'),
      },
      { force: v.force === true, now: new Date() },
    );
    // The restored database: brought up to this version's migrations, every session of the backup ended, the
    // restore recorded on its audit chain, and the chain checked.
    const db = createDb(config.database, sqlitePath);
    try {
      await migrateLatest(db);
      const ended = await db('sessions').delete();
      const { createAuditService, createEventBus, createFileSink } = await import('../audit/index.ts');
      const sink = createFileSink(logDir);
      const audit = createAuditService({ db, clock: { now: () => Date.now() }, sink, bus: createEventBus(() => undefined), logger: (await import('../shared/logger.ts')).silentLogger() });
      await audit.record({
        type: 'backup.restored',
        ...auditFrom(cli),
        target: { type: 'backup', id: null, name: file },
        outcome: 'success',
        details: { createdAt: result.manifest.createdAt, files: result.files, sessionsEnded: ended, movedAside: result.movedAside.length, database: config.database.client, rows: result.rowsRestored },
      });
      await sink.close();
      // Server files belong to their containers' users again (when restored where the configuration puts them).
      if (dataDir === config.paths.dataDir && result.manifest.includesServerFiles) {
        const { servers } = await ctx.services();
        for (const s of result.manifest.servers) await servers.adoptDataDir(s.id).catch(() => 0);
      }
      const chain = await verifyAuditChain(db);
      ctx.io.out(`Restored ${file} (made ${result.manifest.createdAt}) into ${dataDir}: ${result.files} file(s).`);
      if (result.rowsRestored !== null && config.database.client !== 'sqlite') ctx.io.out(`  The rows of the ${config.database.client} database "${config.database.database}" were replaced by the backup's: ${result.rowsRestored} row(s).`);
      ctx.io.out(`  ${ended} session(s) from the backup were ended: everyone signs in again.`);
      if (result.movedAside.length) ctx.io.out(`  Moved aside: ${result.movedAside.join(', ')}`);
      if (result.configWritten && result.configWritten !== config.configPath) {
        ctx.io.out(
          result.configNamesOtherDatabase
            ? `  The backup's config.json is at ${result.configWritten}: it names another database than the one restored into, so ${config.configPath} was left as it was.`
            : `  The backup's config.json is at ${result.configWritten}; ${config.configPath} was left as it was (--force replaces it).`,
        );
      }
      if (!chain.ok) {
        ctx.io.err(`The restored audit chain is broken at event ${chain.badId}: ${chain.reason}.`);
        return EXIT.failure;
      }
      ctx.io.out(`  Audit chain OK: ${chain.count} event(s).`);
      return EXIT.ok;
    } finally {
      await db.destroy();
    }
  },
};
