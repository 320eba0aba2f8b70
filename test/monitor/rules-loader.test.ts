// Rule files: the shipped ones load; a bad file stops loading with its file, line and reason; *.local.yml changes or turns off shipped rules.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadRules, RuleLoadError } from '../../src/monitor/rules/loader.ts';

const SHIPPED = fileURLToPath(new URL('../../rules', import.meta.url));

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aether-rules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const ONE = `rules:
  - id: brute
    kind: threshold
    match:
      event: ssh.auth.failure
    threshold: 5
    window: 10m
    actions: [alert, ban]
`;

function loadError(files: Record<string, string>): RuleLoadError {
  try {
    loadRules(dirWith(files));
  } catch (err) {
    if (err instanceof RuleLoadError) return err;
    throw err;
  }
  throw new Error('the rules loaded');
}

describe('rule files', () => {
  test('the shipped rules load, with durations in milliseconds and defaults filled in', () => {
    const rules = loadRules(SHIPPED);
    const brute = rules.find((r) => r.id === 'sshd-brute-force');
    assert.ok(brute && brute.kind === 'threshold');
    assert.equal(brute.window, 600_000);
    assert.deepEqual(brute.ipPrefix, { v4: 32, v6: 64 });
    assert.equal(brute.ban.duration, 600_000);
    assert.equal(brute.file, 'sshd.yml');
    assert.ok(rules.length >= 5);
  });

  const broken: Array<[string, Record<string, string>, string, number, RegExp]> = [
    ['YAML syntax', { 'a.yml': 'rules:\n  - id: xx\n    id: yy\n' }, 'a.yml', 3, /unique/],
    ['unknown kind', { 'a.yml': ONE.replace('kind: threshold', 'kind: magic') }, 'a.yml', 3, /kind/],
    ['bad duration', { 'a.yml': ONE.replace('window: 10m', 'window: soon') }, 'a.yml', 7, /window: must be a duration/],
    ['unknown key', { 'a.yml': `${ONE}    colour: red\n` }, 'a.yml', 2, /colour/],
    ['unsafe regex', { 'a.yml': ONE.replace('event: ssh.auth.failure', 'event: ssh.auth.failure\n      user: { regex: "(a+)+$" }') }, 'a.yml', 6, /exponential/],
    ['backreference', { 'a.yml': ONE.replace('event: ssh.auth.failure', 'event: ssh.auth.failure\n      user: { regex: "(a)\\\\1" }') }, 'a.yml', 6, /backreferences/],
    ['bad CIDR', { 'a.yml': ONE.replace('event: ssh.auth.failure', 'event: ssh.auth.failure\n      ip: { cidr: [10.0.0.0/33] }') }, 'a.yml', 6, /CIDR/],
    ['sequence after a missing rule', { 'a.yml': 'rules:\n  - id: seq\n    kind: sequence\n    after: { rule: nope }\n    match: { event: x }\n    within: 1h\n' }, 'a.yml', 4, /no rule "nope"/],
    ['duplicate id', { 'a.yml': ONE, 'b.yml': ONE }, 'b.yml', 2, /already defined in a.yml:2/],
    ['ban without an ip key', { 'a.yml': ONE.replace('window: 10m', 'window: 10m\n    key: user') }, 'a.yml', 9, /ban needs/],
    ['rate_anomaly without a trigger', { 'a.yml': 'rules:\n  - id: ra\n    kind: rate_anomaly\n    match: { event: x }\n' }, 'a.yml', 2, /zscore or ratio/],
  ];
  for (const [name, files, file, line, reason] of broken) {
    test(`a bad rule file stops loading with file and line: ${name}`, () => {
      const err = loadError(files);
      assert.equal(err.file, file);
      assert.equal(err.line, line, err.message);
      assert.match(err.reason, reason);
    });
  }

  test('*.local.yml changes a shipped rule\'s settings, turns one off, and adds rules', () => {
    const dir = dirWith({
      'sshd.yml': readFileSync(join(SHIPPED, 'sshd.yml'), 'utf8'),
      'site.local.yml': `rules:
  - id: sshd-brute-force
    threshold: 3
    simulate: true
  - id: sshd-slow-brute-force
    enabled: false
  - id: my-extra
    kind: threshold
    match: { event: ssh.invalid_user }
    threshold: 2
    window: 1m
`,
    });
    const rules = loadRules(dir);
    const brute = rules.find((r) => r.id === 'sshd-brute-force')!;
    assert.equal(brute.kind === 'threshold' && brute.threshold, 3);
    assert.equal(brute.simulate, true);
    assert.equal(brute.kind === 'threshold' && brute.window, 600_000, 'settings not named stay as shipped');
    assert.equal(brute.file, 'site.local.yml');
    assert.equal(rules.find((r) => r.id === 'sshd-slow-brute-force')!.enabled, false);
    assert.ok(rules.some((r) => r.id === 'my-extra'));
    // The shipped file itself is untouched.
    assert.match(readFileSync(join(dir, 'sshd.yml'), 'utf8'), /threshold: 5/);
  });
});
