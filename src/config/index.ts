// Configuration: the schema, the loader and the typed Config every module receives.
export { configSchema, databaseSchema, type Config, type DatabaseConfig } from './schema.ts';
export {
  ConfigError,
  configPathFrom,
  loadConfig,
  parseDatabaseUrl,
  validateConfig,
  writeConfigFile,
  type LoadedConfig,
} from './load.ts';
