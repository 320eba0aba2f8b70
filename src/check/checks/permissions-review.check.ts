// User permissions reviewed and limited: how many administrators there are, and enabled accounts nobody has signed in
// with for checklist.unusedAccountDays (last sign-in, or creation for accounts never used).
import { readAccounts } from '../accounts.ts';
import { DAY_MS, days, pass, warn, type Check } from '../check.types.ts';

export const permissionsReviewCheck: Check = {
  id: 'permissions-review',
  title: 'User permissions reviewed and limited',
  async run({ config, db, now }) {
    const all = await readAccounts(db);
    const enabled = all.filter((a) => !a.disabled);
    const admins = enabled.filter((a) => a.admin);
    const limit = config.checklist.unusedAccountDays;
    const unused = enabled
      .filter((a) => now - (a.lastLoginAt ?? a.createdAt) > limit * DAY_MS)
      .map((a) => ({ username: a.username, admin: a.admin, lastLogin: a.lastLoginAt === null ? null : new Date(a.lastLoginAt).toISOString(), idleDays: days(now - (a.lastLoginAt ?? a.createdAt)) }));
    const details = { admins: admins.map((a) => a.username), maxAdmins: config.checklist.maxAdmins, unused, enabledAccounts: enabled.length, disabledAccounts: all.length - enabled.length, unusedAccountDays: limit };
    const problems: string[] = [];
    const fixes: string[] = [];
    if (admins.length === 0) {
      problems.push('No enabled account holds the admin role.');
      fixes.push('Create an administrator: aether user create --username NAME --email ADDRESS --admin');
    } else if (admins.length > config.checklist.maxAdmins) {
      problems.push(`${admins.length} administrators (${admins.map((a) => a.username).join(', ')}), more than ${config.checklist.maxAdmins} (checklist.maxAdmins).`);
      fixes.push('Users: give those who do not need full access a narrower role (operator, auditor or a custom role).');
    }
    if (unused.length) {
      problems.push(`${unused.length} enabled account(s) unused for over ${limit} days: ${unused.map((u) => `${u.username}${u.admin ? ' (admin)' : ''} ${u.lastLogin ? `last sign-in ${u.lastLogin.slice(0, 10)}` : 'never signed in'}`).join(', ')}.`);
      fixes.push('Users: disable or delete the accounts nobody uses (aether user disable --username NAME).');
    }
    const counts = `${enabled.length} enabled account(s), ${admins.length} administrator(s)${all.length > enabled.length ? `, ${all.length - enabled.length} disabled (not counted)` : ''}`;
    if (problems.length) return warn(`${problems.join(' ')} (${counts}.)`, fixes.join(' '), details);
    return pass(`${counts}: ${admins.map((a) => a.username).join(', ')}; every enabled account signed in within ${limit} days.`, details);
  },
};
