// SSH port changed from 22 and password authentication off: sshd's effective settings from `sshd -T` (root), else
// from its configuration files read the way sshd reads them.
import { CONTAINER_NOTE, inContainer } from '../host-facts.ts';
import { parseSshdT, readSshdConfig, type SshdSettings } from '../sshd-config.ts';
import { fail, pass, warn, type Check } from '../check.types.ts';

const DEFAULT_CONFIG = '/etc/ssh/sshd_config';

export const sshCheck: Check = {
  id: 'ssh',
  title: 'SSH port changed from 22, password authentication off',
  async run({ config, probe }) {
    const path = config.checklist.sshdConfig;
    const note = (await inContainer(probe)) ? ` ${CONTAINER_NOTE}` : '';
    let settings: SshdSettings | null = null;
    let source: string;
    const t = await probe.run('sshd', path === DEFAULT_CONFIG ? ['-T'] : ['-T', '-f', path]);
    if (!t.failure && t.code === 0 && /^port \d+/m.test(t.stdout)) {
      settings = parseSshdT(t.stdout);
      source = `sshd -T${path === DEFAULT_CONFIG ? '' : ` -f ${path}`}`;
    } else {
      const read = await readSshdConfig(probe, path);
      if (!read) {
        if (t.failure === 'not_found') {
          return note
            ? warn(`No SSH server is installed here (no sshd, no ${path}).${note}`, null, { installed: false })
            : pass(`No SSH server is installed (no sshd, no ${path}): nothing listens for SSH logins.`, { installed: false });
        }
        return warn(`sshd is installed but ${path} does not exist, and sshd -T failed (${(t.stderr || t.message || '').trim().split('\n')[0]?.slice(0, 160)}).${note}`, 'Run the check as root: sudo aether check', { installed: true });
      }
      settings = read.settings;
      source = `${read.files.join(', ')}${t.failure === 'not_found' ? ' (sshd itself is not installed)' : ' (sshd -T needs root)'}`;
    }
    const s = settings;
    const passwordsViaPam = s.kbdinteractiveauthentication === 'yes' && s.usepam === 'yes';
    const problems: Array<{ level: 'warn' | 'fail'; text: string; fix: string }> = [];
    if (s.ports.includes(22)) {
      problems.push({
        level: 'warn',
        text: `sshd listens on port 22${s.ports.length > 1 ? ` (and ${s.ports.filter((p) => p !== 22).join(', ')}: Port lines add up, so a drop-in's Port does not replace the main file's)` : ''}`,
        fix: 'set "Port 2022" and comment out every "Port 22" line, the main file\'s too (Port lines add up); open 2022/tcp in the firewall first and close 22/tcp once you are in on 2022',
      });
    }
    if (s.passwordauthentication === 'yes') problems.push({ level: 'fail', text: 'password authentication is on (PasswordAuthentication yes)', fix: 'set "PasswordAuthentication no" (after installing your key: ssh-copy-id)' });
    if (passwordsViaPam) problems.push({ level: 'fail', text: 'keyboard-interactive authentication through PAM is on, which also accepts passwords', fix: 'set "KbdInteractiveAuthentication no"' });
    if (s.permitrootlogin === 'yes') problems.push({ level: 'fail', text: 'root may log in with a password (PermitRootLogin yes)', fix: 'set "PermitRootLogin no" (or prohibit-password)' });
    const details = { source, ports: s.ports, passwordAuthentication: s.passwordauthentication, kbdInteractiveAuthentication: s.kbdinteractiveauthentication, permitRootLogin: s.permitrootlogin, usePam: s.usepam };
    const summary = `port ${s.ports.join(', ')}, PasswordAuthentication ${s.passwordauthentication}, KbdInteractiveAuthentication ${s.kbdinteractiveauthentication}, PermitRootLogin ${s.permitrootlogin}`;
    if (!problems.length) return pass(`sshd: ${summary} (from ${source}).${note}`, details);
    const level = problems.some((p) => p.level === 'fail') ? fail : warn;
    const fix = `In /etc/ssh/sshd_config.d/10-aether.conf (the first value sshd reads wins; Debian's sshd_config includes sshd_config.d/*.conf at its top): ${problems.map((p) => p.fix).join('; ')}. Then sudo sshd -t && sudo systemctl reload ssh.`;
    return level(`${problems.map((p) => p.text).join('; ')}. sshd: ${summary} (from ${source}).${note}`, fix, details);
  },
};
