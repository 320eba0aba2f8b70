// Strong passwords for all accounts: the password policy (passwordPolicy in config.json) every new password must meet.
import { fail, pass, warn, type Check } from '../check.types.ts';

const MIN_LENGTH = 12;

export const passwordPolicyCheck: Check = {
  id: 'password-policy',
  title: 'Strong passwords for all accounts',
  async run({ config }) {
    const p = config.passwordPolicy;
    const weak: string[] = [];
    if (p.minLength < MIN_LENGTH) weak.push(`minimum length ${p.minLength} (below ${MIN_LENGTH})`);
    if (!p.rejectCommon) weak.push('common passwords accepted (rejectCommon false)');
    if (!p.rejectPersonal) weak.push('passwords containing the user name accepted (rejectPersonal false)');
    if (p.minClasses < 2 && p.minLength < 16) weak.push(`only ${p.minClasses} character class required with fewer than 16 characters`);
    const details = { ...p };
    const current = `minimum length ${p.minLength}, ${p.minClasses} character class(es), common passwords ${p.rejectCommon ? 'rejected' : 'accepted'}, user name ${p.rejectPersonal ? 'rejected' : 'accepted'}`;
    const fix = `In config.json: "passwordPolicy": { "minLength": ${Math.max(MIN_LENGTH, p.minLength)}, "rejectCommon": true, "rejectPersonal": true }, then restart the panel. Existing passwords are not re-checked: ask users to change theirs.`;
    // Short and common is what a password-spraying attacker guesses first.
    if (!p.rejectCommon && p.minLength < 10) return fail(`Weak password policy: ${weak.join('; ')}.`, fix, details);
    if (weak.length) return warn(`Weak password policy: ${weak.join('; ')}.`, fix, details);
    return pass(`New passwords need ${current}.`, details);
  },
};
