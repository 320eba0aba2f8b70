// An insert that answers the new row's auto-increment id, on every engine: SQLite and PostgreSQL say it with
// RETURNING, MySQL/MariaDB have no RETURNING and answer the insert id itself.
import type { Knex } from 'knex';

export async function insertReturningId(db: Knex | Knex.Transaction, table: string, row: Record<string, unknown>): Promise<number> {
  if (db.client.config.client === 'mysql2') {
    const [id] = (await db(table).insert(row)) as number[];
    return Number(id);
  }
  const [inserted] = (await db(table).insert(row).returning('id')) as Array<{ id: number } | number>;
  return typeof inserted === 'object' ? Number(inserted.id) : Number(inserted);
}
