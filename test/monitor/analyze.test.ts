// `aether analyze` on a generated auth.log with known ground truth: every burst and every login right after one is found.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { authLog, type GroundTruth } from '../../bench/auth-log.generator.ts';
import { main } from '../../src/cli/main.ts';

// The generated log's classic timestamps are UTC wall times; the parser reads them in the local zone.
process.env.TZ = 'UTC';

async function analyze(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['analyze', ...args], {}, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('aether analyze', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aether-analyze-'));
  const file = join(dir, 'auth.log');
  let truth: GroundTruth;
  before(() => {
    const lines: string[] = [];
    const gen = authLog(60_000, 7);
    let r = gen.next();
    while (!r.done) {
      lines.push(r.value);
      r = gen.next();
    }
    truth = r.value;
    writeFileSync(file, `${lines.join('\n')}\nnot a syslog line\n`);
  });

  test('--json: one object per detection on stdout, a summary on stderr; every burst and every login after a burst is found', async () => {
    const res = await analyze([file, '--json']);
    assert.equal(res.code, 0, res.err.join('\n'));
    const detections = res.out.map((l) => JSON.parse(l) as { rule: string; severity: string; key: string; ip: string; user: string; ts: string; count: number });
    for (const d of detections) for (const k of ['rule', 'severity', 'key', 'ip', 'user', 'ts', 'count']) assert.ok(k in d, k);
    const summary = (JSON.parse(res.err.at(-1)!) as { summary: { linesRead: number; malformed: number; linesMatched: number; linesPerSecond: number; perRule: Record<string, number> } }).summary;
    assert.equal(summary.linesRead, 60_001);
    assert.equal(summary.malformed, 1);
    assert.ok(summary.linesMatched > 0 && summary.linesPerSecond > 0);

    assert.ok(truth.bursts.length > 20 && truth.loginsAfterBurst.length > 5, 'the generated log has bursts to find');
    const brute = detections.filter((d) => d.rule === 'sshd-brute-force');
    for (const burst of truth.bursts) {
      const found = brute.some((d) => d.key === burst.ip && Date.parse(d.ts) >= burst.firstTs && Date.parse(d.ts) <= burst.lastTs);
      assert.ok(found, `burst from ${burst.ip} at ${new Date(burst.firstTs).toISOString()} not detected`);
    }
    const after = detections.filter((d) => d.rule === 'sshd-login-after-brute-force');
    for (const login of truth.loginsAfterBurst) {
      assert.ok(after.some((d) => d.ip === login.ip && d.user === login.user && Date.parse(d.ts) === login.ts), `login of ${login.user} from ${login.ip} after a burst not detected`);
      assert.equal(after.find((d) => d.ip === login.ip)!.severity, 'critical');
    }
    assert.equal(after.length, truth.loginsAfterBurst.length, 'no login after a burst is invented');
    assert.equal(summary.perRule['sshd-brute-force'], brute.length);
  });

  test('--explain says for each line which parser and rules matched', async () => {
    const small = join(dir, 'small.log');
    writeFileSync(small, 'Nov 27 09:00:01 host sshd[1]: Failed password for root from 203.0.113.5 port 1 ssh2\nNov 27 09:00:02 host CRON[2]: session opened\ngarbage\n');
    const res = await analyze([small, '--explain', '--year', '2026']);
    assert.equal(res.code, 0);
    assert.match(res.err[0]!, /small\.log:1 \[syslog\] ssh\.auth\.failure ip=203\.0\.113\.5 user=root -> sshd-brute-force, sshd-slow-brute-force, sshd-user-spraying/);
    assert.match(res.err[1]!, /small\.log:2 \[syslog\] not a monitored line/);
    assert.match(res.err[2]!, /small\.log:3 \[syslog\] MALFORMED/);
  });

  test('usage errors exit 2, a bad rule directory exits 78 naming file and line', async () => {
    assert.equal((await analyze([])).code, 2);
    assert.equal((await analyze([file, '--format', 'xml'])).code, 2);
    assert.equal((await analyze([file, '--year', 'soon'])).code, 2);
    const rules = mkdtempSync(join(tmpdir(), 'aether-badrules-'));
    writeFileSync(join(rules, 'x.yml'), 'rules:\n  - id: bad-one\n    kind: threshold\n    match: { event: x }\n    threshold: 0\n    window: 1m\n');
    const res = await analyze([file, '--rules', rules]);
    assert.equal(res.code, 78);
    assert.match(res.err.join('\n'), /x\.yml:5: rule "bad-one": threshold/);
    const missing = await analyze([join(dir, 'nope.log')]);
    assert.equal(missing.code, 1);
    assert.match(missing.err.join('\n'), /ENOENT|no such file/);
  });

  test('the aether binary runs analyze as bundled JavaScript with the same result', async () => {
    const bin = fileURLToPath(new URL('../../bin/aether.js', import.meta.url));
    const res = spawnSync(process.execPath, [bin, 'analyze', file, '--json'], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
    assert.equal(res.status, 0, res.stderr);
    const inProcess = await analyze([file, '--json']);
    assert.deepEqual(res.stdout.trim().split('\n'), inProcess.out);
    assert.equal(JSON.parse(res.stderr.trim().split('\n').at(-1)!).summary.linesRead, 60_001);
  });
});
