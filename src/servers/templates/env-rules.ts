// Environment variable rules: whether a value fits its rule, and whether a rule's pattern is safe to run at all.
import safeRegex from 'safe-regex2';
import type { EnvRule } from './template.schema.ts';

/** Longest value any variable may have. */
export const MAX_ENV_VALUE = 4096;

// SECURITY: a pattern is written by a template author and run on values users type. Backreferences and lookaround can
// need exponential time in a backtracking engine, and so can nested quantifiers (star height > 1): both are refused.
const UNSAFE_SYNTAX = /\\[1-9]|\\k<|\(\?<?[=!]/;
// Control characters would end up in the process environment; a newline can forge a second line in a generated file.
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why a pattern cannot be used, or null. */
export function patternProblem(source: string): string | null {
  if (UNSAFE_SYNTAX.test(source)) return 'backreferences and lookaround are not allowed';
  try {
    // Compiled alone first: "a)|(b" would only become valid (and unanchored) once wrapped in ^(?:...)$.
    new RegExp(source, 'u');
  } catch (err) {
    return `not a valid regular expression (${(err as Error).message})`;
  }
  if (!safeRegex(source)) return 'may take exponential time (nested quantifiers); simplify it';
  return null;
}

const compiled = new Map<string, RegExp>();

/** The pattern matching a whole value. */
function whole(pattern: string): RegExp {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    compiled.set(pattern, re);
  }
  return re;
}

const INTEGER = /^-?(0|[1-9][0-9]{0,14})$/;

/** Why a value does not fit its rule, or null. Messages never repeat the value: it may be a password. */
export function envValueProblem(rule: EnvRule, value: string): string | null {
  if (value.length > MAX_ENV_VALUE) return `must be at most ${MAX_ENV_VALUE} characters`;
  if (CONTROL.test(value)) return 'must not contain control characters (newline, tab, NUL, ...)';
  switch (rule.type) {
    case 'string':
      if (value.length > rule.maxLength) return `must be at most ${rule.maxLength} characters`;
      if (rule.pattern !== undefined && !whole(rule.pattern).test(value)) return `must match the pattern ${rule.pattern}`;
      return null;
    case 'integer': {
      const n = INTEGER.test(value) ? Number(value) : Number.NaN;
      return n >= rule.min && n <= rule.max ? null : `must be a whole number from ${rule.min} to ${rule.max}`;
    }
    case 'enum':
      return rule.values.includes(value) ? null : `must be one of ${rule.values.join(', ')}`;
    case 'boolean':
      return value === 'true' || value === 'false' ? null : 'must be true or false';
  }
}
