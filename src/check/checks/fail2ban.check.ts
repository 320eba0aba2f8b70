// Fail2ban configured (recommended): the server answers, and the jails `aether` (the panel's audit.log, installed by
// the appliance) and `sshd` run.
import { CONTAINER_NOTE, inContainer } from '../host-facts.ts';
import { pass, warn, type Check } from '../check.types.ts';

const EXPECTED_JAILS = ['aether', 'sshd'];

export const fail2banCheck: Check = {
  id: 'fail2ban',
  title: 'Fail2ban configured (recommended)',
  async run({ probe }) {
    const note = (await inContainer(probe)) ? ` ${CONTAINER_NOTE}` : '';
    const ping = await probe.run('fail2ban-client', ['ping']);
    if (ping.failure === 'not_found') {
      return warn(`fail2ban is not installed (recommended: it bans addresses that keep failing SSH and panel logins).${note}`, 'sudo apt install fail2ban (or sudo dnf install fail2ban), add the jails in /etc/fail2ban/jail.local (the appliance ships jail.d/aether.conf reading the panel\'s audit.log), then sudo systemctl enable --now fail2ban', { installed: false });
    }
    const text = `${ping.stdout}\n${ping.stderr}`;
    if (/permission denied/i.test(text)) return warn(`fail2ban is installed, but this user may not talk to it (${text.trim().split('\n').pop()?.slice(0, 160)}).${note}`, 'Run the check as root: sudo aether check', { installed: true });
    if (ping.code !== 0 || !/pong/.test(text)) {
      return warn(`fail2ban is installed but not running (fail2ban-client ping: ${text.replace(/^\S+ \S+ \S+\s+\[\d+\]:\s*/m, '').trim().split('\n').pop()?.slice(0, 160) || `exit ${ping.code}`}).${note}`, 'sudo systemctl enable --now fail2ban, then sudo fail2ban-client status', { installed: true, running: false });
    }
    const status = await probe.run('fail2ban-client', ['status']);
    const list = /Jail list:\s*(.*)$/m.exec(status.stdout)?.[1] ?? '';
    const jails = list.split(',').map((j) => j.trim()).filter(Boolean);
    const missing = EXPECTED_JAILS.filter((j) => !jails.includes(j));
    const details = { installed: true, running: true, jails, missing };
    if (missing.length) {
      return warn(`fail2ban runs with jail(s) ${jails.join(', ') || 'none'}; missing: ${missing.join(', ')}.${note}`, `Enable the missing jail(s) in /etc/fail2ban/jail.local (${missing.map((j) => (j === 'aether' ? '[aether] reading the panel\'s audit.log, as the appliance installs it' : `[${j}] enabled = true`)).join('; ')}), then sudo fail2ban-client reload`, details);
    }
    return pass(`fail2ban runs with jail(s) ${jails.join(', ')}.${note}`, details);
  },
};
