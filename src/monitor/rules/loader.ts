// Loads rules/*.yml, then *.local.yml over them (change settings of a shipped rule, turn it off, add rules); any error names file and line.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { ruleFileSchema, ruleSchema, type RuleSpec } from './schema.ts';
import { checkConditions } from './conditions.ts';

export class RuleLoadError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'RuleLoadError';
  }
}

/** A rule as loaded, with where it (and the last override of it) came from. */
export type LoadedRule = RuleSpec & { file: string; line: number };

/** A problem zod cannot see (across fields or rules): the key it is at, and why. */
export type RuleProblem = { path: string[]; reason: string };

/** What the rules of one directory must be: the schema of one rule (after local overrides), and further checks. */
export type RuleDirSpec<R> = {
  schema: z.ZodType<R>;
  /** ids: every rule id of the directory, for rules that refer to others. */
  check?: (rule: R, ids: ReadonlySet<string>) => RuleProblem | null;
};

type Raw = { id: string; value: Record<string, unknown>; file: string; node: YamlNode; lines: LineCounter };

function lineOf(raw: { node: YamlNode; lines: LineCounter }, path: Array<string | number> = []): number {
  let node: unknown = raw.node;
  for (const key of path) {
    if (isMap(node) || isSeq(node)) {
      const next = (node as { get(k: unknown, keepScalar: true): unknown }).get(key, true);
      if (next === undefined) break;
      node = next;
    } else break;
  }
  const range = (node as { range?: [number, number, number] }).range;
  return range ? raw.lines.linePos(range[0]).line : 1;
}

function readFile(path: string): Raw[] {
  const file = basename(path);
  const lines = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    throw new RuleLoadError(file, lines.linePos(err.pos[0]).line, err.message.split('\n')[0]!);
  }
  const parsed = ruleFileSchema.safeParse(doc.toJS({ maxAliasCount: 100 }) ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RuleLoadError(file, lineOf({ node: doc.contents as YamlNode, lines }, issue.path as Array<string | number>), `${issue.path.join('.') || 'file'}: ${issue.message}`);
  }
  const list = (doc.contents as { get(k: string, keep: true): unknown }).get('rules', true) as { items: YamlNode[] };
  return parsed.data.rules.map((value, i) => {
    const node = list.items[i]!;
    if (typeof value.id !== 'string' || value.id === '') throw new RuleLoadError(file, lineOf({ node, lines }), 'every rule needs an id');
    return { id: value.id, value, file, node, lines };
  });
}

/**
 * Loads every rule of a directory: shipped files first (never edited by admins), then *.local.yml in name order. A
 * local rule with a shipped rule's id changes the settings it names (enabled: false turns it off); a new id adds a rule.
 * Generic over the rule format: the security monitor's rules here, the resource thresholds in src/resources/.
 */
export function loadRuleDir<R>(dir: string, spec: RuleDirSpec<R>): Array<R & { file: string; line: number }> {
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  const shipped = names.filter((n) => !/\.local\.ya?ml$/.test(n));
  const local = names.filter((n) => /\.local\.ya?ml$/.test(n));
  const byId = new Map<string, Raw>();
  for (const name of shipped) {
    for (const raw of readFile(join(dir, name))) {
      const seen = byId.get(raw.id);
      if (seen) throw new RuleLoadError(raw.file, lineOf(raw), `rule id "${raw.id}" is already defined in ${seen.file}:${lineOf(seen)}`);
      byId.set(raw.id, raw);
    }
  }
  for (const name of local) {
    for (const raw of readFile(join(dir, name))) {
      const base = byId.get(raw.id);
      byId.set(raw.id, base ? { ...raw, value: { ...base.value, ...raw.value } } : raw);
    }
  }
  const ids: ReadonlySet<string> = new Set(byId.keys());
  const rules: Array<R & { file: string; line: number }> = [];
  for (const raw of byId.values()) {
    const parsed = spec.schema.safeParse(raw.value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new RuleLoadError(raw.file, lineOf(raw, issue.path as Array<string | number>), `rule "${raw.id}": ${issue.path.join('.') || 'rule'}: ${issue.message}`);
    }
    const rule = parsed.data;
    const problem = spec.check?.(rule, ids) ?? null;
    if (problem) throw new RuleLoadError(raw.file, lineOf(raw, problem.path), `rule "${raw.id}": ${problem.reason}`);
    rules.push({ ...rule, file: raw.file, line: lineOf(raw) });
  }
  return rules;
}

/** The security monitor's rules of a directory (rules/ by default). */
export function loadRules(dir: string): LoadedRule[] {
  return loadRuleDir(dir, { schema: ruleSchema, check: checkRule });
}

function checkRule(rule: RuleSpec, ids: ReadonlySet<string>): RuleProblem | null {
  const bad = checkConditions(rule.match);
  if (bad) return { path: ['match', bad.field], reason: `match.${bad.field}: ${bad.reason}` };
  if (rule.kind === 'sequence') {
    if ('rule' in rule.after) {
      if (!ids.has(rule.after.rule)) return { path: ['after', 'rule'], reason: `after.rule: no rule "${rule.after.rule}"` };
      if (rule.after.rule === rule.id) return { path: ['after', 'rule'], reason: 'after.rule: a rule cannot follow itself' };
    } else {
      const inner = checkConditions(rule.after.match);
      if (inner) return { path: ['after', 'match', inner.field], reason: `after.match.${inner.field}: ${inner.reason}` };
    }
  }
  if (rule.kind === 'rate_anomaly' && rule.zscore === undefined && rule.ratio === undefined) return { path: [], reason: 'rate_anomaly needs zscore or ratio' };
  if (rule.actions.includes('ban') && !(Array.isArray(rule.key) ? rule.key : [rule.key]).includes('ip')) {
    return { path: ['actions'], reason: 'ban needs the rule to be keyed by ip' };
  }
  return null;
}
