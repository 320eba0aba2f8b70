// aether db migrate-to: moves a panel from its SQLite file to a MySQL/MariaDB or PostgreSQL server.
import { verifyAuditChain } from '../audit/index.ts';
import { ConfigError, parseDatabaseUrl } from '../config/index.ts';
import { copySqliteTo, CopyRefused } from '../db/copy.ts';
import { EXIT, UsageError, type Command } from './command.ts';

/** The URL as it may be shown: without its password. */
const shown = (url: string) => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

export const dbMigrateToCommand: Command = {
  name: 'db migrate-to',
  summary: 'Copy the panel\'s SQLite database into an empty MySQL/MariaDB or PostgreSQL database, then check row counts and the audit chain there.',
  usage: 'aether db migrate-to <mysql://user:pass@host:port/db | postgres://...> [--config FILE]   (or the URL in AETHER_MIGRATE_TO_URL, kept out of the process list)',
  options: {},
  positionals: true,
  async run(ctx, _values, positionals) {
    const url = positionals[0] ?? ctx.env.AETHER_MIGRATE_TO_URL;
    if (!url || positionals.length > 1) throw new UsageError('Give the target database\'s URL (one), or set AETHER_MIGRATE_TO_URL.');
    const target = parseDatabaseUrl(url);
    if (target.client === 'sqlite') throw new ConfigError('The target must be a MySQL/MariaDB (mysql://) or PostgreSQL (postgres://) database.');
    const config = ctx.config();
    if (config.database.client !== 'sqlite' || !config.paths.database) throw new ConfigError(`This panel already uses ${config.database.client}: migrate-to copies from its SQLite file.`);
    ctx.io.out(`Copying ${config.paths.database} (a snapshot; the panel may keep running) into ${shown(url)} ...`);
    let result;
    try {
      result = await copySqliteTo(config.paths.database, target, {
        onTable: (table, rows) => ctx.io.out(`  ${table}: ${rows} row(s)`),
        verify: (db) => verifyAuditChain(db),
      });
    } catch (err) {
      if (err instanceof CopyRefused) {
        ctx.io.err(err.message);
        return EXIT.failure;
      }
      throw err;
    }
    for (const d of result.differing) ctx.io.err(`Row count differs in ${d.table}: ${d.source} in the snapshot, ${d.target} in the target.`);
    const chain = result.verified;
    if (!chain.ok) ctx.io.err(`The audit chain does not verify in the target at event ${chain.badId}: ${chain.reason}.`);
    if (result.differing.length > 0 || !chain.ok) return EXIT.failure;
    ctx.io.out(`Copied ${result.totalRows} row(s) in ${result.tables.length} table(s); every row count matches; audit chain OK in the target (${chain.count} event(s), head ${chain.headHash}).`);
    ctx.io.out(`Events written by the running panel after the snapshot are not in the copy: stop the panel, run this again on a new empty database for a final copy, then start it with`);
    ctx.io.out(`  AETHER_DATABASE_URL=${shown(url)}   (or "database" in ${config.configPath})`);
    return EXIT.ok;
  },
};
