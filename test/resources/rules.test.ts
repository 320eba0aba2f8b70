// Resource rule files: the shipped ones load; a bad rule stops loading with file, line and reason; *.local.yml overrides and disables.
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { loadRules, RuleLoadError, SHIPPED_RULES_DIR } from '../../src/monitor/index.ts';
import { loadResourceRules, SHIPPED_RESOURCE_RULES_DIR } from '../../src/resources/index.ts';

function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'aether-resource-rules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const ONE = `rules:
  - id: cpu
    metric: cpu
    above: 90
    for: 5m
    clear_below: 85
`;

function loadError(files: Record<string, string>): RuleLoadError {
  try {
    loadResourceRules(dirWith(files));
  } catch (err) {
    if (err instanceof RuleLoadError) return err;
    throw err;
  }
  throw new Error('the rules loaded');
}

describe('resource rule files', () => {
  test('the shipped rules load with durations in milliseconds and defaults filled in', () => {
    const rules = loadResourceRules(SHIPPED_RESOURCE_RULES_DIR);
    const byId = new Map(rules.map((r) => [r.id, r]));
    assert.deepEqual([...byId.keys()].sort(), ['cpu-high', 'disk-critical', 'disk-high', 'load-per-cpu-high', 'memory-high', 'server-cpu-high', 'server-disk-high', 'server-memory-high', 'swap-high']);
    const cpu = byId.get('cpu-high')!;
    assert.deepEqual([cpu.metric, cpu.above, cpu.for, cpu.clear_below, cpu.clear_for, cpu.severity, cpu.enabled], ['cpu', 90, 300_000, 85, 60_000, 'medium', true]);
    assert.deepEqual([byId.get('memory-high')!.above, byId.get('memory-high')!.for], [90, 120_000]);
    assert.deepEqual([byId.get('disk-high')!.above, byId.get('disk-high')!.for, byId.get('disk-high')!.mount], [90, 60_000, undefined]);
    assert.deepEqual([byId.get('swap-high')!.above, byId.get('swap-high')!.for], [80, 600_000]);
    assert.deepEqual([byId.get('server-memory-high')!.metric, byId.get('server-memory-high')!.above, byId.get('server-memory-high')!.for], ['server_memory', 95, 300_000]);
    for (const r of rules) {
      assert.equal(r.file, r.metric.startsWith('server_') ? 'servers.yml' : 'host.yml');
      assert.ok(r.clear_below < r.above, r.id);
      assert.ok(r.description.length > 0, r.id);
    }
  });

  test('the security monitor does not read the resources folder, and its own rules still load', () => {
    const ids = loadRules(SHIPPED_RULES_DIR).map((r) => r.id);
    assert.ok(ids.length >= 5);
    assert.ok(!ids.includes('cpu-high'));
  });

  test('clear_for defaults to 1 minute', () => {
    assert.equal(loadResourceRules(dirWith({ 'a.yml': ONE }))[0]!.clear_for, 60_000);
  });

  const broken: Array<[string, Record<string, string>, string, number, RegExp]> = [
    ['bad metric', { 'a.yml': ONE.replace('metric: cpu', 'metric: gpu') }, 'a.yml', 3, /metric/],
    ['clear_below equal to above', { 'a.yml': ONE.replace('clear_below: 85', 'clear_below: 90') }, 'a.yml', 6, /clear_below: must be below above \(90\)/],
    ['clear_below above above', { 'a.yml': ONE.replace('clear_below: 85', 'clear_below: 95') }, 'a.yml', 6, /clear_below: must be below above/],
    ['unknown key', { 'a.yml': `${ONE}    colour: red\n` }, 'a.yml', 2, /colour/],
    ['bad duration', { 'a.yml': ONE.replace('for: 5m', 'for: a while') }, 'a.yml', 5, /for: must be a duration/],
    ['missing above', { 'a.yml': ONE.replace('    above: 90\n', '') }, 'a.yml', 2, /above/],
    ['a percentage above 100', { 'a.yml': ONE.replace('above: 90', 'above: 120') }, 'a.yml', 4, /never above 100/],
    ['a mount on a cpu rule', { 'a.yml': `${ONE}    mount: /srv\n` }, 'a.yml', 7, /mount: only disk rules/],
    ['bad severity', { 'a.yml': `${ONE}    severity: urgent\n` }, 'a.yml', 7, /severity/],
    ['duplicate id', { 'a.yml': ONE, 'b.yml': ONE }, 'b.yml', 2, /already defined in a.yml:2/],
    ['YAML syntax', { 'a.yml': 'rules:\n  - id: xx\n    id: yy\n' }, 'a.yml', 3, /unique/],
    ['a local override that breaks the hysteresis', { 'a.yml': ONE, 'site.local.yml': 'rules:\n  - id: cpu\n    clear_below: 99\n' }, 'site.local.yml', 3, /clear_below/],
  ];
  for (const [name, files, file, line, reason] of broken) {
    test(`a bad rule stops loading with file and line: ${name}`, () => {
      const err = loadError(files);
      assert.equal(err.file, file);
      assert.equal(err.line, line, err.message);
      assert.match(err.reason, reason);
      assert.match(err.message, new RegExp(`^${file.replace('.', '\\.')}:${line}: `));
    });
  }

  test('*.local.yml changes a shipped rule, turns one off and adds one; the shipped file is untouched', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aether-resource-rules-'));
    cpSync(join(SHIPPED_RESOURCE_RULES_DIR, 'host.yml'), join(dir, 'host.yml'));
    writeFileSync(
      join(dir, 'site.local.yml'),
      'rules:\n  - id: disk-high\n    mount: /srv\n    above: 80\n    clear_below: 75\n  - id: swap-high\n    enabled: false\n  - id: load5\n    metric: load5\n    above: 16\n    for: 10m\n    clear_below: 12\n',
    );
    const rules = loadResourceRules(dir);
    const diskHigh = rules.find((r) => r.id === 'disk-high')!;
    assert.deepEqual([diskHigh.mount, diskHigh.above, diskHigh.clear_below, diskHigh.for, diskHigh.severity, diskHigh.file], ['/srv', 80, 75, 60_000, 'high', 'site.local.yml']);
    assert.equal(rules.find((r) => r.id === 'swap-high')!.enabled, false);
    assert.equal(rules.find((r) => r.id === 'load5')!.metric, 'load5');
    assert.equal(rules.length, 7);
  });
});
