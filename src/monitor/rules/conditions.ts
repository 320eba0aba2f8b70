// Rule conditions compiled into predicates: equals, in, CIDR, regex (refused unless it runs in linear time), exists, not.
import safeRegex from 'safe-regex2';
import { ipInCidrs, parseCidr, type Cidr } from '../../shared/cidr.ts';
import { fieldOf, type MonitorEvent } from '../event.ts';
import type { Condition } from './schema.ts';

export type Predicate = (ev: MonitorEvent) => boolean;

// SECURITY: a rule regex runs on attacker-written log text. Backreferences and lookaround can need exponential time in a
// backtracking engine, and so can nested quantifiers (star height > 1): both are refused at load.
const UNSAFE_SYNTAX = /\\[1-9]|\\k<|\(\?<?[=!]/;

function regexProblem(source: string): string | null {
  if (UNSAFE_SYNTAX.test(source)) return 'backreferences and lookaround are not allowed';
  try {
    new RegExp(source, 'u');
  } catch (err) {
    return `not a valid regular expression (${(err as Error).message})`;
  }
  if (!safeRegex(source)) return 'may take exponential time (nested quantifiers); simplify it';
  return null;
}

function problemOf(c: Condition): string | null {
  if (c === null || typeof c !== 'object') return null;
  if ('regex' in c) return regexProblem(c.regex);
  if ('cidr' in c) {
    for (const text of c.cidr) {
      try {
        parseCidr(text);
      } catch {
        return `"${text}" is not an IP address or CIDR range`;
      }
    }
    return null;
  }
  if ('not' in c) return problemOf(c.not);
  return null;
}

/** The first condition that cannot be compiled safely, or null. */
export function checkConditions(match: Record<string, Condition>): { field: string; reason: string } | null {
  for (const [field, c] of Object.entries(match)) {
    const reason = problemOf(c);
    if (reason) return { field, reason };
  }
  return null;
}

function compileOne(field: string, c: Condition): Predicate {
  if (c === null || typeof c !== 'object') {
    if (field === 'event') return (ev) => ev.event === c;
    if (field === 'ip') return (ev) => ev.ip === c;
    return (ev) => fieldOf(ev, field) === c;
  }
  if ('in' in c) {
    const set = new Set<unknown>(c.in);
    if (field === 'event') return (ev) => set.has(ev.event);
    return (ev) => set.has(fieldOf(ev, field));
  }
  if ('cidr' in c) {
    const ranges: Cidr[] = c.cidr.map(parseCidr);
    return (ev) => {
      const v = fieldOf(ev, field);
      return typeof v === 'string' && ipInCidrs(v, ranges);
    };
  }
  if ('regex' in c) {
    const re = new RegExp(c.regex, 'u');
    return (ev) => {
      const v = fieldOf(ev, field);
      return v !== null && re.test(String(v));
    };
  }
  if ('exists' in c) return c.exists ? (ev) => fieldOf(ev, field) !== null : (ev) => fieldOf(ev, field) === null;
  const inner = compileOne(field, c.not);
  return (ev) => !inner(ev);
}

/** One predicate for all conditions of a match (all must hold); the event name is tested first, it rules out most events. */
export function compileMatch(match: Record<string, Condition>): Predicate {
  const entries = Object.entries(match).sort(([a], [b]) => (a === 'event' ? -1 : b === 'event' ? 1 : 0));
  const tests = entries.map(([field, c]) => compileOne(field, c));
  if (tests.length === 0) return () => true;
  if (tests.length === 1) return tests[0]!;
  return (ev) => {
    for (const t of tests) if (!t(ev)) return false;
    return true;
  };
}

/** The event names a match accepts, when it names them (for indexing rules by event); null when any event may match. */
export function eventsOf(match: Record<string, Condition>): string[] | null {
  const c = match.event;
  if (typeof c === 'string') return [c];
  if (c && typeof c === 'object' && 'in' in c) return c.in.filter((x): x is string => typeof x === 'string');
  return null;
}
