// Loads rules/resources/*.yml and the admin's *.local.yml over them, with the security monitor's loader (same overrides, file:line errors).
import { loadRuleDir } from '../../monitor/index.ts';
import { resourceRuleSchema, type ResourceRuleSpec } from './schema.ts';

/** A threshold rule as loaded: durations in milliseconds, and the file (and line) that last set it. */
export type ResourceRule = ResourceRuleSpec & { file: string; line: number };

/** Throws RuleLoadError (file, line, reason) on the first bad rule: a bad rule stops start-up. */
export function loadResourceRules(dir: string): ResourceRule[] {
  return loadRuleDir(dir, { schema: resourceRuleSchema });
}
