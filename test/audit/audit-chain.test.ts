// Tests the audit trail: hash chain, concurrent appends, audit.log, the event bus, and `aether audit verify` against an edited SQLite file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { createAuditService, createEventBus, createFileSink, verifyAuditChain, type AuditEvent } from '../../src/audit/index.ts';
import { main } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createDb, migrateLatest } from '../../src/db/index.ts';
import { systemClock } from '../../src/shared/clock.ts';
import { silentLogger } from '../../src/shared/logger.ts';

async function fixture(events = 5) {
  const dir = mkdtempSync(join(tmpdir(), 'aether-audit-'));
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify({ logLevel: 'silent' }));
  const config = loadConfig({ path: configPath, env: {} });
  const db = createDb(config.database, config.paths.database);
  await migrateLatest(db);
  const bus = createEventBus();
  const seen: AuditEvent[] = [];
  bus.subscribe((e) => seen.push(e));
  const sink = createFileSink(config.paths.logDir);
  const audit = createAuditService({ db, clock: systemClock, sink, bus, logger: silentLogger() });
  for (let i = 0; i < events; i += 1) {
    await audit.record({ type: 'auth.login.failure', actor: { type: 'anonymous', name: `user${i}` }, ip: '203.0.113.7', outcome: 'failure', details: { reason: 'wrong_password', i } });
  }
  return { dir, configPath, config, db, audit, seen, sink };
}

/** Runs SQL on the database file through a separate SQLite connection, as an attacker with file access would. */
function tamper(file: string, sql: string): void {
  const conn = new Database(file);
  try {
    conn.exec(sql);
  } finally {
    conn.close();
  }
}

async function verifyCli(configPath: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['audit', 'verify', '--config', configPath], {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('audit chain', () => {
  test('records link each event to the previous one and verify passes', async () => {
    const f = await fixture(5);
    try {
      const result = await verifyAuditChain(f.db);
      assert.deepEqual(result.ok && result.count, 5);
      const rows = await f.db('audit_events').orderBy('id');
      for (let i = 1; i < rows.length; i += 1) assert.equal(rows[i].prev_hash, rows[i - 1].hash);
      assert.equal(f.seen.length, 5, 'every event reaches the bus');
      await f.sink.close(); // audit.log is written through a stream; let it land before the CLI reads it
      const cli = await verifyCli(f.configPath);
      assert.equal(cli.code, 0);
      assert.match(cli.out, /Audit chain OK: 5 event/);
      assert.match(cli.out, /5 event\(s\) match .*audit\.log/);
    } finally {
      await f.sink.close();
      await f.db.destroy();
    }
  });

  test('concurrent records never fork the chain', async () => {
    const f = await fixture(0);
    try {
      await Promise.all(Array.from({ length: 50 }, (_, i) => f.audit.record({ type: 'test.concurrent', actor: { type: 'system', name: 'test' }, outcome: 'success', details: { i } })));
      const result = await verifyAuditChain(f.db);
      assert.ok(result.ok);
      assert.equal(result.count, 50);
    } finally {
      await f.sink.close();
      await f.db.destroy();
    }
  });

  test('a second writer (another process) does not fork the chain', async () => {
    const f = await fixture(3);
    try {
      const other = createAuditService({ db: f.db, clock: systemClock, sink: f.sink, bus: createEventBus(), logger: silentLogger() });
      await other.record({ type: 'test.other_writer', actor: { type: 'system', name: 'cli' }, outcome: 'success' });
      await f.audit.record({ type: 'test.after', actor: { type: 'system', name: 'panel' }, outcome: 'success' });
      const result = await verifyAuditChain(f.db);
      assert.ok(result.ok);
      assert.equal(result.count, 5);
    } finally {
      await f.sink.close();
      await f.db.destroy();
    }
  });

  test('audit.log has one JSON line per event with the same hash as the database', async () => {
    const f = await fixture(3);
    await f.sink.close();
    try {
      const file = join(f.config.paths.logDir, 'audit.log');
      assert.ok(existsSync(file));
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; type: string; hash: string; ip: string });
      assert.equal(lines.length, 3);
      const rows = await f.db('audit_events').orderBy('id');
      assert.deepEqual(lines.map((l) => l.hash), rows.map((r: { hash: string }) => r.hash));
      assert.equal(lines[0]!.type, 'auth.login.failure');
      assert.equal(lines[0]!.ip, '203.0.113.7');
    } finally {
      await f.db.destroy();
    }
  });

  const tampering: Array<{ name: string; sql: string; badId: number; reason: RegExp }> = [
    { name: 'an edited field', sql: "UPDATE audit_events SET ip = '198.51.100.1' WHERE id = 3", badId: 3, reason: /edited/ },
    { name: 'edited details', sql: `UPDATE audit_events SET details = '{"reason":"ok"}' WHERE id = 2`, badId: 2, reason: /edited/ },
    { name: 'a deleted row', sql: 'DELETE FROM audit_events WHERE id = 2', badId: 3, reason: /missing/ },
    { name: 'a re-hashed row', sql: "UPDATE audit_events SET outcome = 'success', hash = 'f'||substr(hash,2) WHERE id = 4", badId: 4, reason: /edited/ },
    { name: 'the newest rows deleted (the chain alone still links)', sql: 'DELETE FROM audit_events WHERE id >= 4', badId: 4, reason: /in audit\.log but missing from the database/ },
  ];
  for (const c of tampering) {
    test(`aether audit verify exits 1 and names the row after ${c.name}`, async () => {
      const f = await fixture(5);
      await f.sink.close();
      await f.db.destroy();
      tamper(f.config.paths.database!, c.sql);
      const cli = await verifyCli(f.configPath);
      assert.equal(cli.code, 1);
      assert.match(cli.err, new RegExp(`BROKEN at event id ${c.badId}\\b`));
      assert.match(cli.err, c.reason);
    });
  }
});
