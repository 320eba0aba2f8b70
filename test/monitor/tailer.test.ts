// Following log files: appended lines, partial lines, rename-and-create and copytruncate rotation, resuming after a restart, malformed lines.
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, renameSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { MonitorEvent } from '../../src/monitor/event.ts';
import { createTailer, type Position } from '../../src/monitor/tailer.ts';
import { TestClient } from '../helpers/client.ts';
import { startPanel } from '../helpers/panel.ts';

const line = (n: number, ip = '203.0.113.5') => `Nov 27 09:00:${String(n % 60).padStart(2, '0')} host sshd[1]: Failed password for root from ${ip} port ${n} ssh2\n`;

function follow(file: string, position: Position | null = null) {
  const events: MonitorEvent[] = [];
  let saved: Position | null = position;
  const tailer = createTailer({ file, format: 'syslog', year: 2026, position, onEvent: (e) => events.push(e), onPosition: (p) => (saved = p) });
  return { tailer, events, saved: () => saved };
}

describe('log file tailer', () => {
  test('starts at the end of an existing file, then reads appended lines; a partial line waits for its end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-tail-'));
    const file = join(dir, 'auth.log');
    writeFileSync(file, line(1) + line(2));
    const t = follow(file);
    t.tailer.poll();
    assert.equal(t.events.length, 0, 'history is not replayed');
    appendFileSync(file, line(3) + line(4).slice(0, 30));
    t.tailer.poll();
    assert.deepEqual(t.events.map((e) => e.event), ['ssh.auth.failure']);
    appendFileSync(file, `${line(4).slice(30)}garbage\n`);
    t.tailer.poll();
    assert.equal(t.events.length, 2);
    assert.equal(t.events[1]!.http, null);
    assert.equal(t.tailer.stats.malformed, 1);
  });

  test('rename-and-create: the rest of the old file, then the new file from its start', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-tail-'));
    const file = join(dir, 'auth.log');
    writeFileSync(file, '');
    const t = follow(file);
    t.tailer.poll();
    appendFileSync(file, line(1));
    t.tailer.poll();
    appendFileSync(file, line(2));
    renameSync(file, `${file}.1`);
    writeFileSync(file, line(3) + line(4));
    t.tailer.poll();
    assert.deepEqual(t.events.map((e) => e.fields?.reason && e.ts % 60_000 / 1000), [1, 2, 3, 4]);
    assert.equal(t.tailer.stats.rotations, 1);
    // A rotation while the new file does not exist yet.
    renameSync(file, `${file}.2`);
    t.tailer.poll();
    writeFileSync(file, line(5));
    t.tailer.poll();
    assert.equal(t.events.length, 5);
  });

  test('copytruncate: the file is emptied in place and written again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-tail-'));
    const file = join(dir, 'auth.log');
    writeFileSync(file, '');
    const t = follow(file);
    t.tailer.poll();
    appendFileSync(file, line(1) + line(2));
    t.tailer.poll();
    truncateSync(file, 0);
    appendFileSync(file, line(3));
    t.tailer.poll();
    assert.equal(t.events.length, 3);
    assert.equal(t.tailer.stats.rotations, 1);
  });

  test('after a restart it resumes at its saved position: nothing read twice, nothing skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-tail-'));
    const file = join(dir, 'auth.log');
    writeFileSync(file, '');
    const first = follow(file);
    first.tailer.poll();
    appendFileSync(file, line(1) + line(2) + line(3).slice(0, 20));
    first.tailer.poll();
    first.tailer.close();
    assert.equal(first.events.length, 2);
    appendFileSync(file, line(3).slice(20) + line(4));
    const second = follow(file, first.saved());
    second.tailer.poll();
    assert.deepEqual(second.events.map((e) => (e.ts % 60_000) / 1000), [3, 4]);
    // A file replaced while the panel was down is read from its start.
    second.tailer.close();
    renameSync(file, `${file}.1`);
    writeFileSync(file, line(5));
    const third = follow(file, second.saved());
    third.tailer.poll();
    assert.deepEqual(third.events.map((e) => (e.ts % 60_000) / 1000), [5]);
  });

  test('the panel follows a configured auth.log: an sshd brute force in it bans the address for the panel too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-tail-'));
    const file = join(dir, 'auth.log');
    writeFileSync(file, '');
    const panel = await startPanel({ monitor: { sources: [{ path: file, format: 'syslog' }], pollIntervalMs: 50 } });
    try {
      const now = new Date();
      const stamp = `${now.toDateString().slice(4, 7)} ${String(now.getDate()).padStart(2, ' ')} ${now.toTimeString().slice(0, 8)}`;
      for (let i = 0; i < 5; i += 1) appendFileSync(file, `${stamp} host sshd[1]: Failed password for root from 127.0.0.6 port ${i} ssh2\n`);
      panel.logSources.pollNow();
      await panel.services.monitor.settled();
      const res = await new TestClient(panel.url, { localAddress: '127.0.0.6' }).get('/api/v1/setup/status');
      assert.equal(res.body.error?.code, 'ip_banned');
      assert.equal(panel.logSources.stats()[0]!.events, 5);
    } finally {
      await panel.close();
    }
  });
});
