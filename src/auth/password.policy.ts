// Decides whether a new password is acceptable: length, character classes, common-password list, and the user's own name or email.

import { readFileSync } from 'node:fs';

export interface PasswordPolicyOptions {
  /** Minimum length in Unicode code points. */
  minLength: number;
  /** How many of the 4 classes (lowercase, uppercase, digit, symbol) must appear. */
  minClasses: number;
  /** Maximum length in Unicode code points. */
  maxLength: number;
  /** Reject passwords from the bundled list of the 10,000 most common ones. */
  rejectCommon: boolean;
  /** Reject passwords that contain the username or the local part of the email. */
  rejectPersonal: boolean;
}

export interface PasswordContext {
  username?: string;
  email?: string;
}

export type PasswordCheckResult = { ok: true } | { ok: false; reasons: string[] };

export interface PasswordPolicy {
  check(password: string, context: PasswordContext): PasswordCheckResult;
  describe(): string;
}

// Below this length a common word with a few digits/symbols appended ("Password123!", "Trustno1!!") is rejected.
// SECURITY: appending digits and symbols is the first mutation every cracking rule set tries, so such a password is
// barely stronger than its base word. Past 16 code points the appended part alone carries real entropy, so we stop there
// rather than punish long passwords that merely start with a word.
const SUFFIX_CHECK_BELOW = 16;
// Username / email parts shorter than this would match too much ("al", "jo") to be a meaningful check.
const MIN_PERSONAL_LENGTH = 3;

const COMMON_LIST_URL = new URL('./data/common-passwords.txt', import.meta.url);
let commonPasswords: Set<string> | undefined;

function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const text = readFileSync(COMMON_LIST_URL, 'utf8');
    commonPasswords = new Set(
      text
        .split('\n')
        .map((line) => line.trim().toLowerCase())
        .filter((line) => line.length > 0),
    );
  }
  return commonPasswords;
}

function countClasses(password: string): number {
  let lower = false;
  let upper = false;
  let digit = false;
  let symbol = false;
  for (const ch of password) {
    if (/\p{Ll}/u.test(ch)) lower = true;
    else if (/\p{Lu}|\p{Lt}/u.test(ch)) upper = true;
    else if (/\p{Nd}/u.test(ch)) digit = true;
    // Anything else counts as a symbol: punctuation, spaces, and letters of scripts without case (CJK, Arabic, ...).
    else symbol = true;
  }
  return Number(lower) + Number(upper) + Number(digit) + Number(symbol);
}

/**
 * True when the password, compared case-insensitively, is on the list; or, when it is shorter than
 * SUFFIX_CHECK_BELOW code points, when removing any number of trailing non-letter characters
 * (digits, symbols, spaces) yields a list entry: "Password123!" -> "password123", "password", both listed.
 */
function isCommon(password: string, list: Set<string>): boolean {
  const lower = password.toLowerCase();
  if (list.has(lower)) return true;
  const chars = [...lower];
  if (chars.length >= SUFFIX_CHECK_BELOW) return false;
  for (let end = chars.length - 1; end > 0; end -= 1) {
    if (/\p{L}/u.test(chars[end] ?? '')) break;
    if (list.has(chars.slice(0, end).join(''))) return true;
  }
  return false;
}

/** The personal strings (lowercased, >= 3 code points) a password must not contain. */
function personalParts(context: PasswordContext): { username: string[]; email: string[] } {
  const keep = (s: string | undefined): string[] => {
    const v = (s ?? '').trim().toLowerCase();
    return [...v].length >= MIN_PERSONAL_LENGTH ? [v] : [];
  };
  const email = (context.email ?? '').trim();
  const at = email.lastIndexOf('@');
  const local = at > 0 ? email.slice(0, at) : '';
  // "jane+panel@example.com": the part before the "+" tag is the name people reuse, so check it too.
  const plus = local.indexOf('+');
  const untagged = plus > 0 ? local.slice(0, plus) : '';
  return { username: keep(context.username), email: [...new Set([...keep(local), ...keep(untagged)])] };
}

function classesPhrase(n: number): string {
  return `at least ${n} of these: lowercase letters, uppercase letters, digits, symbols`;
}

function validateOptions(opts: PasswordPolicyOptions): void {
  const intAtLeast = (name: keyof PasswordPolicyOptions, min: number) => {
    const v = opts[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new RangeError(`password policy ${name} must be an integer >= ${min}, got ${String(v)}`);
    }
  };
  intAtLeast('minLength', 1);
  intAtLeast('maxLength', 1);
  intAtLeast('minClasses', 0);
  if (opts.minClasses > 4) throw new RangeError(`password policy minClasses must be <= 4, got ${opts.minClasses}`);
  if (opts.maxLength < opts.minLength) {
    throw new RangeError(`password policy maxLength (${opts.maxLength}) must be >= minLength (${opts.minLength})`);
  }
}

export function createPasswordPolicy(opts: PasswordPolicyOptions): PasswordPolicy {
  validateOptions(opts);
  const { minLength, minClasses, maxLength, rejectCommon, rejectPersonal } = opts;
  // Read the list now, so a missing or unreadable file stops start-up instead of failing the first password change.
  if (rejectCommon) loadCommonPasswords();

  function check(password: string, context: PasswordContext): PasswordCheckResult {
    const length = [...password].length;
    // SECURITY: refuse oversized input before doing any other work on it (hashing a huge password is a cheap DoS).
    if (length > maxLength) return { ok: false, reasons: [`must be at most ${maxLength} characters`] };

    const reasons: string[] = [];
    if (length < minLength) reasons.push(`must be at least ${minLength} characters`);
    if (minClasses > 0 && countClasses(password) < minClasses) reasons.push(`must use ${classesPhrase(minClasses)}`);
    if (rejectCommon && isCommon(password, loadCommonPasswords())) {
      reasons.push('is too common: it appears in lists of leaked passwords');
    }
    if (rejectPersonal) {
      const lower = password.toLowerCase();
      const parts = personalParts(context);
      if (parts.username.some((p) => lower.includes(p))) reasons.push('must not contain your username');
      if (parts.email.some((p) => lower.includes(p))) reasons.push('must not contain your email address');
    }
    return reasons.length === 0 ? { ok: true } : { ok: false, reasons };
  }

  function describe(): string {
    const rules = [`be ${minLength} to ${maxLength} characters long`];
    if (minClasses > 0) rules.push(`use ${classesPhrase(minClasses)}`);
    if (rejectCommon) rules.push('not be a commonly used password');
    if (rejectPersonal) rules.push('not contain your username or email address');
    return `Passwords must ${rules.join('; ')}.`;
  }

  return { check, describe };
}
