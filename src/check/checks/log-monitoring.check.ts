// Logs being monitored: the security monitor is on, has rules, runs (inside the panel: from the command line the
// panel's /healthz is asked), can read the log files it is given, and someone is notified of what it finds.
import { loadRules, SHIPPED_RULES_DIR } from '../../monitor/index.ts';
import { fail, pass, warn, worst, type Check, type CheckContext, type CheckStatus } from '../check.types.ts';

/** Whether the panel answers on its configured address; the URL asked. */
async function panelAnswers(ctx: CheckContext): Promise<{ up: boolean; url: string; why: string | null }> {
  const { host, port } = ctx.config.http;
  const h = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const url = `http://${h.includes(':') ? `[${h}]` : h}:${port}/healthz`;
  if (port === 0) return { up: false, url, why: 'http.port is 0 (a random port)' };
  try {
    const res = await ctx.probe.httpGet(url);
    return { up: res.status === 200 && /"ok"/.test(res.body), url, why: res.status === 200 ? null : `HTTP ${res.status}` };
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return { up: false, url, why: e.name === 'TimeoutError' ? `no answer within ${ctx.config.checklist.networkTimeoutSeconds} s` : (e.cause?.code ?? e.message) };
  }
}

export const logMonitoringCheck: Check = {
  id: 'log-monitoring',
  title: 'Logs being monitored',
  async run(ctx) {
    const { config, db, probe, runtime } = ctx;
    const m = config.monitor;
    if (!m.enabled) return fail('The security monitor is off (monitor.enabled is false): no rule looks at sign-ins, API use or log files, and nothing is banned.', 'Set monitor.enabled to true in config.json and restart the panel.', { enabled: false });
    let rules: number;
    if (runtime.kind === 'panel') rules = runtime.monitorRules;
    else {
      try {
        rules = loadRules(m.rulesDir ?? SHIPPED_RULES_DIR).filter((r) => r.enabled).length;
      } catch (err) {
        return fail(`The detection rules do not load, so the panel would not start: ${(err as Error).message.split('\n')[0]}`, `Fix the rule file named above (rules in ${m.rulesDir ?? SHIPPED_RULES_DIR}).`, { enabled: true });
      }
    }
    const running = runtime.kind === 'panel' ? { up: true, url: null, why: null } : await panelAnswers(ctx);
    const sources = await Promise.all(m.sources.map(async (s) => ({ path: s.path, format: s.format, readable: Boolean((await probe.stat(s.path).catch(() => null))?.isFile) })));
    const unreadable = sources.filter((s) => !s.readable);
    const channels = Number(((await db('alert_channels').where({ enabled: true }).count({ n: '*' }).first()) as { n: number | string }).n);
    const details = { enabled: true, rules, panelRunning: running.up, healthz: running.url, sources, alertChannels: channels };
    const found: Array<{ status: CheckStatus; text: string; fix: string }> = [];
    if (!running.up) found.push({ status: 'fail', text: `The panel does not answer at ${running.url} (${running.why}), and the monitor runs inside it`, fix: 'start the panel (systemctl start aether-panel, or docker compose up -d)' });
    if (rules === 0) found.push({ status: 'fail', text: 'No detection rule is enabled', fix: `enable rules (rules in ${m.rulesDir ?? SHIPPED_RULES_DIR}; overrides in *.local.yml)` });
    if (unreadable.length) found.push({ status: 'warn', text: `Log file(s) in monitor.sources missing or unreadable: ${unreadable.map((s) => s.path).join(', ')}`, fix: 'correct the paths in monitor.sources, or give the panel read access to them' });
    if (channels === 0) found.push({ status: 'warn', text: 'No alert channel is enabled, so detections wait in the Alerts inbox until someone looks', fix: 'Alerts → Channels: add an e-mail or webhook channel' });
    const status = worst(found.map((f) => f.status));
    const watched = `${rules} rule(s) on the panel's own events${sources.length ? ` and ${sources.length} log file(s) (${sources.map((s) => s.path).join(', ')})` : ''}`;
    const where = runtime.kind === 'panel' ? 'running in this panel' : `running (the panel answers at ${running.url})`;
    if (status === 'pass') {
      return pass(`The monitor is ${where}: ${watched}; ${channels} alert channel(s) notify.${sources.length ? '' : ' Add sshd\'s and nginx\'s logs to monitor.sources to watch them too.'}`, details);
    }
    const reason = `${found.map((f) => f.text).join('. ')}. (Monitor: ${watched}.)`;
    const fix = found.map((f) => f.fix).join('; ') + '.';
    return status === 'fail' ? fail(reason, fix, details) : warn(reason, fix, details);
  },
};
