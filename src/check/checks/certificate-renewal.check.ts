// SSL certificates with automatic renewal configured: certbot's systemd timer or cron job, and a deploy hook that
// reloads nginx after a renewal (the appliance installs aether-reload-nginx.sh).
import { join } from 'node:path';
import { CONTAINER_NOTE, inContainer } from '../host-facts.ts';
import { fail, pass, warn, type Check } from '../check.types.ts';

export const certificateRenewalCheck: Check = {
  id: 'certificate-renewal',
  title: 'SSL certificates with automatic renewal configured',
  async run({ config, probe }) {
    const dir = config.checklist.letsencryptDir;
    const note = (await inContainer(probe)) ? ` ${CONTAINER_NOTE}` : '';
    const live = ((await probe.readDir(join(dir, 'live'))) ?? []).filter((n) => n !== 'README');
    const certbot = await probe.run('certbot', ['--version']);
    const installed = !certbot.failure;
    // Renewal: the systemd timer (when systemd runs) or the package's cron file.
    let timer: string | null = null;
    if (await probe.stat('/run/systemd/system')) {
      const r = await probe.run('systemctl', ['is-enabled', 'certbot.timer']);
      timer = r.failure ? null : r.stdout.trim() || r.stderr.trim().split('\n')[0] || null;
    }
    const cron = (await probe.stat('/etc/cron.d/certbot')) ? '/etc/cron.d/certbot' : null;
    const renewing = timer === 'enabled' || timer === 'static' || cron !== null;
    const hooksDir = join(dir, 'renewal-hooks', 'deploy');
    const hooks: string[] = [];
    for (const name of (await probe.readDir(hooksDir)) ?? []) {
      const st = await probe.stat(join(hooksDir, name));
      if (st?.isFile && (st.mode & 0o111) !== 0) hooks.push(name);
    }
    const details = { certbot: installed, certificates: live, timer, cron, deployHooks: hooks, letsencryptDir: dir };
    const how = [timer === 'enabled' || timer === 'static' ? `certbot.timer is ${timer}` : null, cron ? `${cron} exists` : null].filter(Boolean).join(' and ');
    if (!installed && live.length === 0) {
      return warn(`certbot is not installed and ${join(dir, 'live')} holds no certificate, so nothing renews a Let's Encrypt certificate here.${note}`, 'If the certificate comes from Let\'s Encrypt: sudo apt install certbot (or sudo dnf install certbot), get it with certbot certonly, and check renewal with sudo certbot renew --dry-run. If it is renewed another way, make sure that is automatic.', details);
    }
    if (!renewing) {
      return fail(
        `${live.length ? `${live.length} certificate(s) in ${join(dir, 'live')} (${live.join(', ')})` : 'certbot is installed'}, but no automatic renewal: certbot.timer is ${timer ?? 'not known to systemd'} and /etc/cron.d/certbot does not exist.${note}`,
        'sudo systemctl enable --now certbot.timer (or install the certbot package\'s cron job), then sudo certbot renew --dry-run',
        details,
      );
    }
    if (hooks.length === 0) {
      return warn(`Renewal is automatic (${how}), but ${hooksDir} holds no executable hook, so nginx keeps serving the old certificate after a renewal until it is reloaded.${note}`, `Install a deploy hook that reloads nginx: printf '#!/bin/sh\\nsystemctl reload nginx\\n' | sudo tee ${hooksDir}/aether-reload-nginx.sh && sudo chmod 755 ${hooksDir}/aether-reload-nginx.sh`, details);
    }
    return pass(`Renewal is automatic (${how}); deploy hook(s) after renewal: ${hooks.join(', ')}.${live.length ? ` Certificates: ${live.join(', ')}.` : ''}${note}`, details);
  },
};
