// Operating system updated: pending package updates by a simulation that needs no root (apt-get -s upgrade,
// update-notifier's apt-check, dnf check-update), security updates counted apart where the package manager tells.
import { CONTAINER_NOTE, inContainer, osRelease } from '../host-facts.ts';
import type { HostProbe } from '../host-probe.ts';
import { days, fail, pass, warn, type Check, type CheckContext, type CheckOutcome } from '../check.types.ts';

const STALE_LIST_DAYS = 7;

const commandError = (cmd: string, r: { failure?: string; stderr: string; message?: string; code: number | null }) =>
  r.failure === 'timeout' ? `${cmd} did not finish in time` : r.failure === 'not_found' ? `${cmd} is not installed` : `${cmd} failed (exit ${r.code ?? '?'}: ${(r.stderr || r.message || '').trim().split('\n').pop()?.slice(0, 200) ?? ''})`;

/** How long ago the package lists were refreshed (apt-get update), in days; null when unknown. */
async function aptListsAge(probe: HostProbe, now: number): Promise<number | null> {
  for (const path of ['/var/lib/apt/periodic/update-success-stamp', '/var/lib/apt/lists/partial', '/var/lib/apt/lists']) {
    const st = await probe.stat(path);
    if (st) return days(now - st.mtimeMs);
  }
  return null;
}

async function debian(ctx: CheckContext, note: string): Promise<CheckOutcome> {
  const { probe } = ctx;
  const age = await aptListsAge(probe, ctx.now);
  const ageText = age === null ? '' : ` Package lists refreshed ${age} day(s) ago.`;
  const stale = age !== null && age > STALE_LIST_DAYS;
  let total: number;
  let security: number;
  let names: string[] = [];
  let how: string;
  // Ubuntu's helper counts security updates exactly ("updates;security" on stderr).
  const helper = await probe.run('/usr/lib/update-notifier/apt-check', []);
  const counted = /^(\d+);(\d+)/.exec(helper.stderr.trim());
  if (!helper.failure && helper.code === 0 && counted) {
    total = Number(counted[1]);
    security = Number(counted[2]);
    how = '/usr/lib/update-notifier/apt-check';
  } else {
    const sim = await probe.run('apt-get', ['-s', '-o', 'Debug::NoLocking=1', 'upgrade']);
    if (sim.failure || sim.code !== 0) return warn(`Could not list pending updates: ${commandError('apt-get -s upgrade', sim)}.${note}`, 'Run apt list --upgradable by hand.');
    const lines = sim.stdout.split('\n').filter((l) => l.startsWith('Inst '));
    total = lines.length;
    security = lines.filter((l) => /-security|Security/.test(l)).length;
    names = lines.map((l) => l.split(' ')[1]!).slice(0, 20);
    how = 'apt-get -s upgrade';
  }
  const details = { packageManager: 'apt', pending: total, security, listsAgeDays: age, ...(names.length ? { packages: names } : {}), how };
  const fixCmd = 'sudo apt-get update && sudo apt-get upgrade (or apply them automatically: sudo apt install unattended-upgrades && sudo dpkg-reconfigure -plow unattended-upgrades)';
  const list = names.length ? ` (${names.slice(0, 8).join(', ')}${total > 8 ? ', …' : ''})` : '';
  if (security > 0) return fail(`${security} security update(s) pending, ${total} update(s) in all${list}.${ageText}${note}`, fixCmd, details);
  if (total > 0) return warn(`${total} update(s) pending, none marked as security${list}.${ageText}${note}`, fixCmd, details);
  if (stale) return warn(`No updates pending, but the package lists are ${age} days old, so newer updates may be unknown.${note}`, 'sudo apt-get update, then run the check again.', details);
  return pass(`No updates pending (${how}).${ageText}${note}`, details);
}

async function fedora(ctx: CheckContext, note: string): Promise<CheckOutcome> {
  const { probe } = ctx;
  // -C: from the cached metadata only, so the check never waits on mirrors.
  const check = await probe.run('dnf', ['-q', '-C', 'check-update']);
  if (check.failure || (check.code !== 0 && check.code !== 100)) return warn(`Could not list pending updates: ${commandError('dnf check-update', check)}.${note}`, 'Run sudo dnf check-update by hand.');
  const pkgs = check.code === 100 ? check.stdout.split('\n').filter((l) => /^\S+\.\S+\s+\S+\s+\S+/.test(l) && !l.startsWith('Obsoleting')) : [];
  const sec = await probe.run('dnf', ['-q', '-C', 'updateinfo', 'list', '--security']);
  const security = !sec.failure && sec.code === 0 ? sec.stdout.split('\n').filter((l) => l.trim() && !/^(Last metadata|Updates Information)/.test(l)).length : null;
  const names = pkgs.map((l) => l.split(/\s+/)[0]!).slice(0, 20);
  const details = { packageManager: 'dnf', pending: pkgs.length, security, packages: names };
  const fix = 'sudo dnf upgrade --refresh (or enable dnf-automatic: sudo dnf install dnf-automatic && sudo systemctl enable --now dnf-automatic-install.timer)';
  const list = names.length ? ` (${names.slice(0, 8).join(', ')}${pkgs.length > 8 ? ', …' : ''})` : '';
  if (security !== null && security > 0) return fail(`${security} security update(s) pending, ${pkgs.length} package(s) to update${list}.${note}`, fix, details);
  if (pkgs.length > 0) return warn(`${pkgs.length} package update(s) pending${security === null ? '' : ', none marked as security'}${list}.${note}`, fix, details);
  return pass(`No updates pending (dnf check-update, cached metadata).${note}`, details);
}

export const osUpdatesCheck: Check = {
  id: 'os-updates',
  title: 'Operating system updated',
  async run(ctx) {
    const os = await osRelease(ctx.probe);
    const note = (await inContainer(ctx.probe)) ? ` ${CONTAINER_NOTE}` : '';
    const family = os ? [os.id, ...os.idLike] : [];
    if (family.some((f) => f === 'debian' || f === 'ubuntu')) return debian(ctx, note);
    if (family.some((f) => f === 'fedora' || f === 'rhel' || f === 'centos')) return fedora(ctx, note);
    return warn(`Unknown operating system (${os ? `${os.name}, ID=${os.id}` : 'no /etc/os-release'}): pending updates were not checked.${note}`, 'Check for updates with your package manager and apply the security ones.', { os: os?.id ?? null });
  },
};
