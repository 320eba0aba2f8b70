// Database access: the knex factory and migrations.
export { createDb, ping, type Db } from './knex.ts';
export { migrateLatest, pendingMigrations } from './migrate.ts';
export { checkSqlite, snapshotSqlite } from './snapshot.ts';
export { readSetting, writeSetting } from './settings.ts';
export { insertReturningId } from './insert.ts';
