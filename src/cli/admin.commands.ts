// Maintenance commands: migrate, config check, audit verify, allowlist clear.
import { join } from 'node:path';
import { checkAuditLog, verifyAuditChain } from '../audit/index.ts';
import { systemCaller } from '../auth/index.ts';
import { pendingMigrations, migrateLatest, createDb } from '../db/index.ts';
import { writeConfigFile } from '../config/index.ts';
import { readFileSync } from 'node:fs';
import { EXIT, type Command } from './command.ts';

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'Apply pending database migrations.',
  usage: 'aether migrate [--config FILE]',
  options: {},
  async run(ctx) {
    const config = ctx.config();
    const db = createDb(config.database, config.paths.database);
    try {
      const pending = await pendingMigrations(db);
      const applied = await migrateLatest(db);
      ctx.io.out(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : `Database is up to date (${pending.length} pending before).`);
      return EXIT.ok;
    } finally {
      await db.destroy();
    }
  },
};

export const configCheckCommand: Command = {
  name: 'config check',
  summary: 'Validate the configuration file and environment overrides.',
  usage: 'aether config check [--config FILE]',
  options: {},
  async run(ctx) {
    const config = ctx.config();
    ctx.io.out(`${config.configPath}: valid.`);
    ctx.io.out(`  listen ${config.http.host}:${config.http.port}, data ${config.paths.dataDir}, logs ${config.paths.logDir}, database ${config.database.client}`);
    return EXIT.ok;
  },
};

export const auditVerifyCommand: Command = {
  name: 'audit verify',
  summary: 'Check the audit hash chain and compare it with audit.log; exits 1 and names the first bad event if anything was edited or deleted.',
  usage: 'aether audit verify [--config FILE]',
  options: {},
  async run(ctx) {
    const db = await ctx.db();
    const result = await verifyAuditChain(db);
    if (!result.ok) {
      ctx.io.err(`Audit chain BROKEN at event id ${result.badId}: ${result.reason}. ${result.count} event(s) before it verified.`);
      return EXIT.failure;
    }
    const logFile = join(ctx.config().paths.logDir, 'audit.log');
    const log = await checkAuditLog(db, logFile);
    if (!log.ok) {
      ctx.io.err(`Audit chain BROKEN at event id ${log.badId}: ${log.reason}. Compared with ${logFile}.`);
      return EXIT.failure;
    }
    ctx.io.out(`Audit chain OK: ${result.count} event(s), head ${result.headHash}; ${log.checked} event(s) match ${logFile}.`);
    return EXIT.ok;
  },
};

export const allowlistClearCommand: Command = {
  name: 'allowlist clear',
  summary: 'Emergency exit: remove every admin IP allowlist entry (panel and config.json).',
  usage: 'aether allowlist clear [--config FILE]',
  options: {},
  async run(ctx) {
    const services = await ctx.services();
    await services.allowlist.clear(systemCaller('cli'));
    ctx.io.out('Cleared the admin IP allowlist entries set in the panel (a running panel applies this within seconds).');
    const raw = JSON.parse(readFileSync(ctx.configPath, 'utf8')) as { security?: { adminAllowlist?: string[] } };
    const fromConfig = raw.security?.adminAllowlist ?? [];
    if (fromConfig.length > 0) {
      raw.security = { ...raw.security, adminAllowlist: [] };
      writeConfigFile(ctx.configPath, raw);
      ctx.io.out(`Removed ${fromConfig.length} entr${fromConfig.length === 1 ? 'y' : 'ies'} from ${ctx.configPath}; restart the panel for that to take effect.`);
    }
    return EXIT.ok;
  },
};
