// Firewall configured correctly: ufw or firewalld active, with only the panel's ports open (web 8080, SFTP 5657,
// Gatus 8081, SSH 2022, and 80/443 for nginx) and 22 closed.
import { CONTAINER_NOTE, inContainer } from '../host-facts.ts';
import { fail, pass, warn, type Check, type CheckContext } from '../check.types.ts';

const UFW_APPS: Record<string, string[]> = {
  OpenSSH: ['22/tcp'],
  'Nginx Full': ['80/tcp', '443/tcp'],
  'Nginx HTTP': ['80/tcp'],
  'Nginx HTTPS': ['443/tcp'],
  'WWW Full': ['80/tcp', '443/tcp'],
  WWW: ['80/tcp'],
  'WWW Secure': ['443/tcp'],
};
const FIREWALLD_SERVICES: Record<string, string[]> = { ssh: ['22/tcp'], http: ['80/tcp'], https: ['443/tcp'] };
// Client-side services firewalld opens by default; they accept no connections.
const HARMLESS_SERVICES = new Set(['dhcpv6-client']);

/** The ports expected open: the panel's own (as configured), Gatus's, the moved SSH port and nginx's. */
export function expectedPorts(ctx: Pick<CheckContext, 'config'>): Set<string> {
  const { config } = ctx;
  return new Set([`${config.http.port || 8080}/tcp`, '8080/tcp', `${config.sftp.port || 5657}/tcp`, `${config.gatus.webPort}/tcp`, '2022/tcp', '80/tcp', '443/tcp']);
}

/** "8080/tcp", "80,443/tcp", "6000:6010/tcp", "2022" -> port/protocol strings (no protocol: both). */
function portsOf(spec: string): string[] | null {
  const m = /^(\d+(?:[:-]\d+)?(?:,\d+(?:[:-]\d+)?)*)(?:\/(tcp|udp))?$/.exec(spec);
  if (!m) return null;
  const protos = m[2] ? [m[2]] : ['tcp', 'udp'];
  return m[1]!.split(',').flatMap((p) => protos.map((proto) => `${p.replace('-', ':')}/${proto}`));
}

/** The ports `ufw status` allows in (IPv4 and IPv6 rules merged), app profiles expanded. */
export function parseUfwStatus(text: string): { active: boolean; open: string[] } {
  const active = /^Status: active/m.test(text);
  const open = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^(.+?)\s{2,}(ALLOW|LIMIT)(?: IN)?\s{2,}/.exec(line.trim());
    if (!m) continue;
    let to = m[1]!.replace(/ \(v6\)$/, '').trim();
    // "8080/tcp on eth0" and "Anywhere" destinations with a port after it are read by their port part.
    to = to.replace(/ on \S+$/, '');
    const ports = portsOf(to) ?? UFW_APPS[to] ?? [to];
    for (const p of ports) open.add(p);
  }
  return { active, open: [...open] };
}

const normalise = (open: string[]): string[] => {
  // A rule for both protocols counts once per protocol; udp twins of expected tcp ports are extras like any other.
  return [...new Set(open)].sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || a.localeCompare(b));
};

function judge(tool: string, open: string[], expected: Set<string>, note: string) {
  const extra = normalise(open).filter((p) => !expected.has(p));
  const missing = ['8080/tcp', '5657/tcp'].filter((p) => !open.includes(p));
  const details = { firewall: tool, open: normalise(open), extra, expected: [...expected].sort() };
  const missingText = missing.length ? ` Not open: ${missing.join(', ')} (needed unless the panel is reached only through nginx or SFTP is off).` : '';
  if (extra.length) {
    const has22 = extra.some((p) => p.startsWith('22/'));
    const fix = tool === 'ufw' ? extra.map((p) => `sudo ufw delete allow ${p}`).join('; ') + (has22 ? '; sudo ufw deny 22/tcp (after SSH answers on 2022)' : '') : extra.map((p) => (/^\d/.test(p) ? `sudo firewall-cmd --permanent --remove-port=${p}` : `sudo firewall-cmd --permanent --remove-service=${p}`)).join('; ') + '; sudo firewall-cmd --reload';
    return warn(`${tool} is active and opens ports beyond the panel's: ${extra.join(', ')}${has22 ? ' (22/tcp should be closed once SSH is moved to 2022)' : ''}. Open: ${details.open.join(', ')}.${missingText}${note}`, fix, details);
  }
  return pass(`${tool} is active; open: ${details.open.join(', ') || 'nothing'}.${missingText}${note}`, details);
}

export const firewallCheck: Check = {
  id: 'firewall',
  title: 'Firewall configured correctly',
  async run(ctx) {
    const { probe } = ctx;
    const container = await inContainer(probe);
    const note = container ? ` ${CONTAINER_NOTE}` : '';
    const expected = expectedPorts(ctx);
    const ufw = await probe.run('ufw', ['status']);
    if (!ufw.failure) {
      const text = `${ufw.stdout}\n${ufw.stderr}`;
      if (/need to be root|permission denied|must be root/i.test(text) || (ufw.code !== 0 && !/Status:/.test(text))) {
        return warn(`ufw is installed, but its rules cannot be read by this user (${text.trim().split('\n')[0]?.slice(0, 160)}).${note}`, 'Run the check as root: sudo aether check', { firewall: 'ufw' });
      }
      const status = parseUfwStatus(ufw.stdout);
      if (!status.active) return fail(`ufw is installed but inactive: every port is reachable.${note}`, 'sudo ufw allow 8080/tcp && sudo ufw allow 5657/tcp && sudo ufw allow 8081/tcp && sudo ufw allow 2022/tcp && sudo ufw deny 22/tcp && sudo ufw enable', { firewall: 'ufw', active: false });
      return judge('ufw', status.open, expected, note);
    }
    const state = await probe.run('firewall-cmd', ['--state']);
    if (!state.failure) {
      if (state.code !== 0) return fail(`firewalld is installed but not running (${(state.stdout || state.stderr).trim().slice(0, 120)}): every port is reachable.${note}`, 'sudo systemctl enable --now firewalld, then open the panel\'s ports: sudo firewall-cmd --permanent --add-port=8080/tcp --add-port=5657/tcp --add-port=8081/tcp --add-port=2022/tcp && sudo firewall-cmd --reload', { firewall: 'firewalld', active: false });
      const ports = await probe.run('firewall-cmd', ['--list-ports']);
      const services = await probe.run('firewall-cmd', ['--list-services']);
      if (ports.code !== 0 || services.code !== 0) {
        return warn(`firewalld is running, but its rules cannot be read by this user (${(ports.stderr || services.stderr).trim().split('\n')[0]?.slice(0, 160)}).${note}`, 'Run the check as root: sudo aether check', { firewall: 'firewalld' });
      }
      const open = [
        ...ports.stdout.split(/\s+/).filter(Boolean).flatMap((p) => portsOf(p) ?? [p]),
        ...services.stdout.split(/\s+/).filter((s) => s && !HARMLESS_SERVICES.has(s)).flatMap((s) => FIREWALLD_SERVICES[s] ?? [s]),
      ];
      return judge('firewalld', open, expected, note);
    }
    const details = { firewall: null, container };
    if (container) return warn(`Neither ufw nor firewalld is installed here.${note}`, 'On the host: sudo apt install ufw (or dnf install firewalld) and open only 8080/tcp, 5657/tcp, 8081/tcp and 2022/tcp (see the documentation\'s firewall section).', details);
    return fail('No firewall: neither ufw nor firewalld is installed.', 'sudo apt install ufw && sudo ufw allow 8080/tcp && sudo ufw allow 5657/tcp && sudo ufw allow 8081/tcp && sudo ufw allow 2022/tcp && sudo ufw deny 22/tcp && sudo ufw enable (Fedora: sudo dnf install firewalld, then firewall-cmd --permanent --add-port=...)', details);
  },
};
