// 2FA enabled for all administrators: every enabled account holding the admin scope has a confirmed authenticator,
// and the two-factor policy keeps a new administrator from skipping it.
import { readAccounts, twoFactorRequirement } from '../accounts.ts';
import { fail, pass, warn, type Check } from '../check.types.ts';

export const adminTwoFactorCheck: Check = {
  id: 'admin-2fa',
  title: '2FA enabled for all administrators',
  async run({ config, db }) {
    const accounts = (await readAccounts(db)).filter((a) => !a.disabled);
    const admins = accounts.filter((a) => a.admin);
    const without = admins.filter((a) => !a.twoFactor);
    const policy = await twoFactorRequirement(db, config.security.require2fa);
    const users = accounts.filter((a) => !a.admin);
    const usersWith = users.filter((a) => a.twoFactor).length;
    const details = { admins: admins.map((a) => a.username), withoutTwoFactor: without.map((a) => a.username), policy, usersWithTwoFactor: usersWith, users: users.length };
    const others = users.length ? ` Other users: ${usersWith} of ${users.length} use 2FA.` : '';
    if (admins.length === 0) return warn('No enabled administrator account exists.', 'Create one: aether user create --username NAME --email ADDRESS --admin', details);
    if (without.length) {
      return fail(
        `${without.length} of ${admins.length} administrator(s) sign in without 2FA: ${without.map((a) => a.username).join(', ')}.`,
        `Each of them turns it on under My account → Two-factor authentication. To make it compulsory, set Settings → Two-factor policy to "administrators" (security.require2fa is "${config.security.require2fa}"; effective "${policy}").`,
        details,
      );
    }
    if (policy === 'none') {
      return warn(`All ${admins.length} administrator(s) use 2FA (${admins.map((a) => a.username).join(', ')}), but the policy does not require it, so a new administrator may skip it.${others}`, 'Settings → Two-factor policy: administrators (or all users); or security.require2fa: "admins" in config.json.', details);
    }
    return pass(`All ${admins.length} administrator(s) use 2FA (${admins.map((a) => a.username).join(', ')}); the policy requires it of ${policy === 'all' ? 'every user' : 'administrators'}.${others}`, details);
  },
};
