// A consistent copy of the SQLite database while the panel runs: SQLite's online backup API, on a connection of its
// own (readers do not block the panel's writer in WAL mode), into a new file.
import Database from 'better-sqlite3';

/** Copies the database at `source` into `dest` (a new file), page by page, as one consistent snapshot. */
export async function snapshotSqlite(source: string, dest: string): Promise<void> {
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(dest);
  } finally {
    db.close();
  }
}

/** SQLite's own check of a database file: "ok", or what is wrong with it. */
export function checkSqlite(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db.pragma('integrity_check') as Array<{ integrity_check: string }>;
    return rows.map((r) => r.integrity_check).join('; ');
  } finally {
    db.close();
  }
}
