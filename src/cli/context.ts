// What each command gets: the loaded config, a database with migrations applied and the services, opened on demand.
import { createDb, migrateLatest, type Db } from '../db/index.ts';
import { loadConfig, configPathFrom, type LoadedConfig } from '../config/index.ts';
import type { CoreServices } from '../services.ts';
import { silentLogger } from '../shared/logger.ts';
import type { Io } from './io.ts';

export type Env = Record<string, string | undefined>;

export type CommandContext = {
  io: Io;
  env: Env;
  configPath: string;
  config(): LoadedConfig;
  /** Opens the database (running pending migrations) and builds the services; closed by close(). */
  services(): Promise<CoreServices>;
  db(): Promise<Db>;
  close(): Promise<void>;
};

export function createCommandContext(io: Io, env: Env, configArg: string | undefined): CommandContext {
  const configPath = configPathFrom(configArg, env);
  let config: LoadedConfig | null = null;
  let db: Db | null = null;
  let services: CoreServices | null = null;
  const getConfig = () => {
    if (!config) {
      config = loadConfig({ path: configPath, env });
      if (config.created) io.err(`Wrote a new configuration with safe defaults to ${config.configPath} (mode 0600).`);
    }
    return config;
  };
  const getDb = async () => {
    if (!db) {
      const c = getConfig();
      db = createDb(c.database, c.paths.database);
      await migrateLatest(db);
    }
    return db;
  };
  return {
    io,
    env,
    configPath,
    config: getConfig,
    db: getDb,
    async services() {
      if (!services) {
        // Loaded on first use: commands that need no services (analyze, --help) never load the panel's libraries.
        const { createServices } = await import('../services.ts');
        services = createServices({ config: getConfig(), db: await getDb(), logger: silentLogger(), backupPassphrase: env.AETHER_BACKUP_PASSPHRASE || null, command: true });
        await services.roles.ensureBuiltins();
      }
      return services;
    },
    async close() {
      await services?.sink.close();
      services?.stopShared();
      services?.redis?.disconnect();
      await db?.destroy();
    },
  };
}
