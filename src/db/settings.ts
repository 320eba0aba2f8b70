// The settings table: one JSON value per key, changed by the panel (and the CLI) at run time.
import type { Db } from './knex.ts';

/** The value stored under `key`, parsed, or null when none is. */
export async function readSetting<T>(db: Db, key: string): Promise<T | null> {
  const row = (await db('settings').where({ key }).first()) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as T) : null;
}

/** Stores `value` (as JSON) under `key`, replacing what was there. */
export async function writeSetting(db: Db, key: string, value: unknown, now: number): Promise<void> {
  const text = JSON.stringify(value);
  const updated = await db('settings').where({ key }).update({ value: text, updated_at: now });
  if (!updated) await db('settings').insert({ key, value: text, updated_at: now });
}
