// Rows per table of a SQLite database file (knex's own tables left out), read without changing the file.
import Database from 'better-sqlite3';

export function sqliteRowCounts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'knex_migrations%' order by name").all() as Array<{ name: string }>;
    return Object.fromEntries(tables.map(({ name }) => [name, (db.prepare(`select count(*) as n from "${name.replace(/"/g, '""')}"`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}
