// Tests for the password policy: each rule, alone and together, against the shipped common-password list.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createPasswordPolicy, type PasswordContext, type PasswordPolicyOptions } from '../../src/auth/password.policy.ts';

const defaults: PasswordPolicyOptions = { minLength: 12, minClasses: 3, maxLength: 256, rejectCommon: true, rejectPersonal: true };
const policy = createPasswordPolicy(defaults);

const TOO_SHORT = 'must be at least 12 characters';
const TOO_LONG = 'must be at most 256 characters';
const FEW_CLASSES = 'must use at least 3 of these: lowercase letters, uppercase letters, digits, symbols';
const COMMON = 'is too common: it appears in lists of leaked passwords';
const HAS_USERNAME = 'must not contain your username';
const HAS_EMAIL = 'must not contain your email address';

describe('common-passwords.txt', () => {
  const list = readFileSync(new URL('../../src/auth/data/common-passwords.txt', import.meta.url), 'utf8').split('\n');
  const cases = ['password', '123456', 'qwerty', 'letmein', 'password123', 'trustno1', 'qwerty123456'];
  for (const entry of cases) {
    it(`contains ${entry}`, () => assert.ok(list.includes(entry)));
  }
  it('holds about 10,000 lowercase entries', () => {
    const entries = list.filter((l) => l.length > 0);
    assert.ok(entries.length > 9800 && entries.length <= 10000, `got ${entries.length}`);
    assert.equal(entries.filter((e) => e !== e.toLowerCase()).length, 0);
  });
});

describe('createPasswordPolicy().check', () => {
  const cases: Array<{ name: string; password: string; context?: PasswordContext; reasons: string[] }> = [
    { name: 'a long mixed password passes', password: 'Correct-Horse-Battery-9', reasons: [] },
    { name: 'a passphrase with spaces passes', password: 'plum Orbit lantern 42', reasons: [] },
    { name: 'too short', password: 'Ab1!xyz', reasons: [TOO_SHORT] },
    { name: 'exactly the minimum length passes', password: 'Zq8#mv2Lp!rT', reasons: [] },
    { name: 'too long', password: 'Aa1!'.repeat(65), reasons: [TOO_LONG] },
    { name: 'exactly the maximum length passes', password: 'Zq8#mv2Lp!rT'.repeat(21) + 'Zq8#', reasons: [] },
    { name: 'only lowercase', password: 'vdkhqpwmzxnbrt', reasons: [FEW_CLASSES] },
    { name: 'two classes only', password: 'vdkhqpwm48201', reasons: [FEW_CLASSES] },
    { name: 'three classes suffice', password: 'vdkhqpwm48201!', reasons: [] },
    { name: 'short and one class', password: 'abcxyz', reasons: [TOO_SHORT, FEW_CLASSES] },
    { name: 'listed entry, any case', password: 'Qwerty123456', reasons: [COMMON] },
    { name: 'listed entry, all upper with digits', password: 'QWERTY123456', reasons: [FEW_CLASSES, COMMON] },
    { name: 'common word plus digits and symbol', password: 'Password123!', reasons: [COMMON] },
    { name: 'common word plus symbols', password: 'Letmein!!!!!', reasons: [COMMON] },
    { name: 'listed entry ending in a digit plus symbols', password: 'Trustno1!!!!', reasons: [COMMON] },
    { name: 'common word plus 15 chars of suffix is rejected', password: 'Dragon2024!#$%^', reasons: [COMMON] },
    { name: 'common word with a long suffix (16+) passes', password: 'Dragon-84729150!', reasons: [] },
    { name: 'common word in the middle is allowed', password: 'x7Dragon-Wq!9z', reasons: [] },
    { name: 'contains username', password: 'Alice-Secret-2024!', context: { username: 'alice' }, reasons: [HAS_USERNAME] },
    { name: 'contains username, other case', password: 'xxALICExx-2024!', context: { username: 'Alice' }, reasons: [HAS_USERNAME] },
    { name: 'username shorter than 3 is ignored', password: 'Al-Secret-2024!x', context: { username: 'al' }, reasons: [] },
    {
      name: 'contains email local part',
      password: 'Jdoe.Smith-7788!',
      context: { email: 'jdoe.smith@example.com' },
      reasons: [HAS_EMAIL],
    },
    {
      name: 'contains email local part before a + tag',
      password: 'Kestrel-Jdoe-7788!',
      context: { email: 'jdoe+panel@example.com' },
      reasons: [HAS_EMAIL],
    },
    {
      name: 'email domain is not checked',
      password: 'Example-Zq8#mv2',
      context: { email: 'jdoe@example.com' },
      reasons: [],
    },
    {
      name: 'username and email both found',
      password: 'bob-Jdoe-7788!x',
      context: { username: 'bob', email: 'jdoe@example.com' },
      reasons: [HAS_USERNAME, HAS_EMAIL],
    },
    // 11 code points but 16 UTF-16 units: emoji are astral characters, two units each.
    { name: 'length counts code points, not UTF-16 units', password: 'Ab1😀😀😀😀😀xyz', reasons: [TOO_SHORT] },
    { name: '12 code points with astral characters pass length', password: 'Ab1😀😀😀😀😀xyzw', reasons: [] },
    { name: 'accented letters are cased letters', password: 'éèàüÉÈÀÜ1234', reasons: [] },
    { name: 'letters without case count as symbols', password: '密码密码密码abc123', reasons: [] },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const result = policy.check(c.password, c.context ?? {});
      if (c.reasons.length === 0) assert.deepEqual(result, { ok: true });
      else assert.deepEqual(result, { ok: false, reasons: c.reasons });
    });
  }
});

describe('createPasswordPolicy options', () => {
  const cases: Array<{ name: string; opts: Partial<PasswordPolicyOptions>; password: string; context?: PasswordContext; ok: boolean }> = [
    { name: 'rejectCommon false lets a listed password through', opts: { rejectCommon: false }, password: 'Qwerty123456', ok: true },
    {
      name: 'rejectPersonal false lets the username through',
      opts: { rejectPersonal: false },
      password: 'Alice-Secret-2024!',
      context: { username: 'alice' },
      ok: true,
    },
    { name: 'minClasses 0 disables the class rule', opts: { minClasses: 0 }, password: 'vdkhqpwmzxnbrt', ok: true },
    { name: 'minLength 16 rejects 14 characters', opts: { minLength: 16 }, password: 'vdkhqpwm48201!', ok: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = createPasswordPolicy({ ...defaults, ...c.opts });
      assert.equal(p.check(c.password, c.context ?? {}).ok, c.ok);
    });
  }

  const invalid: Array<{ name: string; opts: Partial<PasswordPolicyOptions>; message: RegExp }> = [
    { name: 'minLength 0', opts: { minLength: 0 }, message: /minLength must be an integer >= 1/ },
    { name: 'minClasses 5', opts: { minClasses: 5 }, message: /minClasses must be <= 4/ },
    { name: 'maxLength below minLength', opts: { maxLength: 8 }, message: /maxLength \(8\) must be >= minLength \(12\)/ },
    { name: 'fractional maxLength', opts: { maxLength: 12.5 }, message: /maxLength must be an integer/ },
  ];
  for (const c of invalid) {
    it(`throws at creation on ${c.name}`, () => {
      assert.throws(() => createPasswordPolicy({ ...defaults, ...c.opts }), c.message);
    });
  }
});

describe('createPasswordPolicy().describe', () => {
  it('names every active rule', () => {
    assert.equal(
      policy.describe(),
      'Passwords must be 12 to 256 characters long; use at least 3 of these: lowercase letters, uppercase letters, digits, symbols; ' +
        'not be a commonly used password; not contain your username or email address.',
    );
  });
  it('leaves out disabled rules', () => {
    const p = createPasswordPolicy({ minLength: 8, minClasses: 0, maxLength: 64, rejectCommon: false, rejectPersonal: false });
    assert.equal(p.describe(), 'Passwords must be 8 to 64 characters long.');
  });
});
