// Log parsers: sshd in classic syslog and RFC 3339 form, nginx combined, the panel's audit.log; malformed lines are counted, never fatal.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { detectFormat, fromAudit, MALFORMED, parserFor } from '../../src/monitor/parsers/index.ts';

describe('sshd lines', () => {
  const parse = parserFor('syslog', { year: 2026 });
  const cases: Array<[string, string | null | typeof MALFORMED, Record<string, unknown>?]> = [
    ['Nov 27 09:00:01 host sshd[100]: Failed password for root from 203.0.113.5 port 5000 ssh2', 'ssh.auth.failure', { ip: '203.0.113.5', user: 'root', reason: 'password' }],
    ['Nov 27 09:00:01 host sshd[100]: Failed password for invalid user admin from 203.0.113.5 port 5000 ssh2', 'ssh.auth.failure', { ip: '203.0.113.5', user: 'admin', reason: 'invalid_user' }],
    ['Nov  7 09:00:01 host sshd[100]: Failed publickey for git from 2001:db8::7 port 5000 ssh2: ED25519 SHA256:x', 'ssh.auth.failure', { ip: '2001:db8::7', user: 'git', reason: 'publickey' }],
    ['Nov 27 09:00:01 host sshd[100]: Invalid user oracle from 198.51.100.2 port 4242', 'ssh.invalid_user', { ip: '198.51.100.2', user: 'oracle' }],
    ['Nov 27 09:00:01 host sshd[100]: Accepted publickey for alice from 10.0.0.5 port 4000 ssh2: ED25519 SHA256:abc', 'ssh.auth.success', { ip: '10.0.0.5', user: 'alice' }],
    ['Nov 27 09:00:01 host sshd[100]: error: maximum authentication attempts exceeded for root from 203.0.113.9 port 22 ssh2 [preauth]', 'ssh.auth.failure', { ip: '203.0.113.9', user: 'root', reason: 'max_attempts' }],
    ['2026-11-27T09:00:01.250000+01:00 host sshd-session[300]: Accepted password for bob from 192.0.2.4 port 1 ssh2', 'ssh.auth.success', { ip: '192.0.2.4', user: 'bob', ts: Date.parse('2026-11-27T08:00:01.250Z') }],
    ['Nov 27 09:00:01 host sshd[100]: Received disconnect from 10.0.0.1 port 22:11: bye', null],
    ['Nov 27 09:00:01 host CRON[1]: pam_unix(cron:session): session opened for user root', null],
    ['this is not a log line', MALFORMED],
    ['Foo 27 09:00:01 host sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2', MALFORMED],
    ['', MALFORMED],
  ];
  for (const [line, expected, fields] of cases) {
    test(`${expected === MALFORMED ? 'malformed' : (expected ?? 'ignored')}: ${line.slice(0, 70)}`, () => {
      const ev = parse(line);
      if (expected === MALFORMED || expected === null) return assert.equal(ev, expected);
      assert.ok(ev && ev !== MALFORMED);
      assert.equal(ev.event, expected);
      assert.equal(ev.source, 'sshd');
      for (const [k, v] of Object.entries(fields ?? {})) {
        const actual: unknown = k === 'reason' ? ev.fields?.reason : (ev as unknown as Record<string, unknown>)[k];
        assert.equal(actual, v, k);
      }
    });
  }

  test('a classic log running over New Year moves to the next year', () => {
    const p = parserFor('syslog', { year: 2026 });
    const dec = p('Dec 31 23:59:59 host sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2');
    const jan = p('Jan  1 00:00:01 host sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2');
    assert.ok(dec && dec !== MALFORMED && jan && jan !== MALFORMED);
    assert.equal(jan.ts - dec.ts, 2000);
    assert.equal(new Date(jan.ts).getFullYear(), 2027);
  });
});

describe('nginx and audit.log lines', () => {
  test('combined format', () => {
    const ev = parserFor('nginx')('203.0.113.9 - alice [27/Nov/2026:09:00:01 +0100] "GET /api/v1/users?x=\\"1\\" HTTP/1.1" 403 512 "-" "curl/8.0"');
    assert.ok(ev && ev !== MALFORMED);
    assert.equal(ev.event, 'http.request');
    assert.equal(ev.ip, '203.0.113.9');
    assert.equal(ev.user, 'alice');
    assert.equal(ev.ts, Date.parse('2026-11-27T08:00:01Z'));
    assert.deepEqual(ev.http, { method: 'GET', path: '/api/v1/users?x="1"', status: 403, bytes: 512, userAgent: 'curl/8.0' });
    assert.equal(parserFor('nginx')('203.0.113.9 - - [bad date] "GET / HTTP/1.1" 200 1 "-" "-"'), MALFORMED);
  });

  test('audit.log lines and live audit events share one mapping', () => {
    const line = JSON.stringify({ time: '2026-11-27T09:00:01.000Z', id: 7, type: 'auth.login.failure', outcome: 'failure', actor: { type: 'anonymous', id: null, name: 'eve' }, ip: '198.51.100.3', target: null, details: { reason: 'unknown_user', nested: { x: 1 } } });
    const ev = parserFor('audit')(line);
    assert.ok(ev && ev !== MALFORMED);
    assert.equal(ev.event, 'auth.login.failure');
    assert.equal(ev.user, 'eve');
    assert.equal(ev.fields?.reason, 'unknown_user');
    assert.equal(ev.fields?.nested, undefined, 'only flat details become fields');
    const live = fromAudit({ ts: 5, type: 'auth.login.failure', outcome: 'failure', actor: { type: 'user', id: 'u1', name: 'root-admin' }, ip: '::1', target: { type: 'user', id: 'u1', name: 'root-admin' }, details: { reason: 'wrong_password' } });
    assert.equal(live.user, 'root-admin');
    assert.equal(live.fields?.actorType, 'user');
    assert.equal(parserFor('audit')('{"type": 1}'), MALFORMED);
    assert.equal(parserFor('audit')('{not json'), MALFORMED);
  });

  test('the format of a file is guessed from its first lines', () => {
    assert.equal(detectFormat(['Nov 27 09:00:01 host sshd[1]: Failed password for root from 1.2.3.4 port 1 ssh2']), 'syslog');
    assert.equal(detectFormat(['1.2.3.4 - - [27/Nov/2026:09:00:01 +0000] "GET / HTTP/1.1" 200 1 "-" "-"']), 'nginx');
    assert.equal(detectFormat(['{"time":"2026-11-27T09:00:01.000Z","type":"auth.logout","outcome":"success","actor":{"type":"user"}}']), 'audit');
  });
});
