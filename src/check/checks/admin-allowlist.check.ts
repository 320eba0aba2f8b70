// Administrative access restricted by IP: the admin IP allowlist (security.adminAllowlist and the panel's Settings).
import { readSetting } from '../../db/index.ts';
import { pass, warn, type Check } from '../check.types.ts';

const EVERYONE = new Set(['0.0.0.0/0', '::/0', '0.0.0.0', '::']);

export const adminAllowlistCheck: Check = {
  id: 'admin-ip-allowlist',
  title: 'Administrative access restricted by IP',
  async run({ config, db }) {
    const panel = (await readSetting<string[]>(db, 'admin_allowlist')) ?? [];
    const all = [...config.security.adminAllowlist, ...panel];
    const details = { config: [...config.security.adminAllowlist], panel };
    const fix = 'Settings → Admin IP allowlist: add the addresses or networks administrators work from (your office, your VPN); or security.adminAllowlist in config.json. aether allowlist clear undoes it if you lock yourself out.';
    if (all.length === 0) return warn('No admin IP allowlist: administrators may sign in from any address.', fix, details);
    const open = all.filter((c) => EVERYONE.has(c));
    if (open.length) return warn(`The admin IP allowlist holds ${open.join(', ')}, which lets every address in.`, fix, details);
    return pass(`Administrators may use the panel only from ${all.length} allowlisted range(s): ${all.join(', ')}.`, details);
  },
};
