// Gatus's configuration, made from the panel's state: the panel's /healthz, SFTP, every running server's public TCP
// ports, and the HTTPS certificate's expiry; web on 8081, SQLite storage, `skip-invalid-config-update`, and Gatus's
// `custom` alerting posting to the panel. Every file is checked against Gatus's own load rules before it is written
// (atomically, mode 0600), since Gatus stops monitoring on a file it cannot load.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

/** What the file is made from. */
export type GatusInputs = {
  /** The panel as Gatus reaches it (in compose: http://aether:8080). */
  panelUrl: string;
  /** SFTP as Gatus reaches it, or null when it is off. */
  sftp: { host: string; port: number } | null;
  /** The address servers' public ports are checked on, as Gatus reaches them. */
  serversHost: string;
  /** Running servers and their public ports (only TCP ones are checked). */
  servers: ReadonlyArray<{ name: string; shortId: string; ports: ReadonlyArray<{ name: string; hostPort: number; protocol: 'tcp' | 'udp' }> }>;
  /** The panel's public HTTPS address, whose certificate expiry is watched; null without one. */
  httpsUrl: string | null;
  /** Where Gatus's custom alerts go: the panel's receiver; the bearer token is an environment variable of Gatus's. */
  alerts: { url: string; tokenEnv: string } | null;
  web: { port: number };
  storagePath: string;
  /** Who may see the status page: everyone, basic auth (the bcrypt hash from an environment variable), or OIDC. */
  access: { kind: 'public' } | { kind: 'basic'; username: string; passwordBcryptBase64Env: string } | { kind: 'oidc'; issuerUrl: string; redirectUrl: string; clientId: string; clientSecretEnv: string };
};

export type GatusEndpoint = { name: string; group: string; url: string; interval: string; conditions: string[]; alerts?: Array<{ type: 'custom' }> };
export type GatusConfig = Record<string, unknown> & { endpoints: GatusEndpoint[] };

/** Environment variables the file may name (as ${NAME}); any other `$` is written `$$`. */
const ENV_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;

/**
 * Text the panel did not write itself (server and port names) as Gatus accepts it in a name: no `"` or `\` (Gatus
 * refuses them), no control characters, and every `$` doubled (Gatus expands variables in the whole file).
 */
export function gatusText(s: string): string {
  return s
    .replace(/["\\]/g, "'")
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .replace(/\$/g, '$$$$')
    .trim()
    .slice(0, 120);
}

/** A server port's endpoint in the file: its group and name as Gatus shows them (each `$` once). */
export function serverEndpointName(serverName: string, portName: string, shortId: string): { group: string; name: string } {
  return { group: 'Servers', name: `${gatusText(serverName)} ${gatusText(portName)} (${shortId})`.replace(/\$\$/g, '$') };
}

/** Gatus's key of an endpoint: `group_name`, lower-cased, with ` /_.,#+&` made `-` (two endpoints may not share one). */
export function gatusKey(group: string, name: string): string {
  const sanitize = (s: string) => s.toLowerCase().trim().replace(/[/_., #+&]/g, '-');
  return `${sanitize(group)}_${sanitize(name)}`;
}

const env = (name: string) => {
  if (!ENV_NAME.test(name)) throw new Error(`not an environment variable name: ${name}`);
  return `\${${name}}`;
};

/** The panel's own endpoints on the uptime page, by the group and name Gatus keys them with. */
export const PANEL_ENDPOINTS = {
  web: { group: 'Panel', name: 'Web panel' },
  sftp: { group: 'Panel', name: 'SFTP' },
  https: { group: 'Panel', name: 'HTTPS certificate' },
} as const;

export function gatusConfig(input: GatusInputs): GatusConfig {
  const { web, sftp, https } = PANEL_ENDPOINTS;
  const alerts = input.alerts ? [{ type: 'custom' as const }] : undefined;
  const endpoint = (group: string, name: string, url: string, conditions: string[], interval = '60s'): GatusEndpoint => ({ name, group, url, interval, conditions, ...(alerts ? { alerts } : {}) });
  const endpoints: GatusEndpoint[] = [endpoint(web.group, web.name, `${input.panelUrl.replace(/\/$/, '')}/healthz`, ['[STATUS] == 200', '[RESPONSE_TIME] < 2000'])];
  if (input.sftp) endpoints.push(endpoint(sftp.group, sftp.name, `tcp://${input.sftp.host}:${input.sftp.port}`, ['[CONNECTED] == true']));
  if (input.httpsUrl) endpoints.push(endpoint(https.group, https.name, input.httpsUrl, ['[STATUS] < 500', '[CERTIFICATE_EXPIRATION] > 336h'], '1h'));
  for (const server of input.servers) {
    for (const port of server.ports) {
      if (port.protocol !== 'tcp') continue;
      // The short id keeps two servers of one name apart; each $ is written $$ (Gatus shows it once).
      const shown = serverEndpointName(server.name, port.name, server.shortId);
      endpoints.push(endpoint(shown.group, shown.name.replace(/\$/g, '$$$$'), `tcp://${input.serversHost}:${port.hostPort}`, ['[CONNECTED] == true']));
    }
  }
  const config: GatusConfig = {
    'skip-invalid-config-update': true,
    web: { port: input.web.port },
    storage: { type: 'sqlite', path: input.storagePath },
    endpoints,
  };
  if (input.alerts) {
    config.alerting = {
      custom: {
        url: input.alerts.url,
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${env(input.alerts.tokenEnv)}` },
        body: '{"state":"[ALERT_TRIGGERED_OR_RESOLVED]","group":"[ENDPOINT_GROUP]","name":"[ENDPOINT_NAME]","description":"[ALERT_DESCRIPTION]"}',
        'default-alert': { enabled: true, 'send-on-resolved': true, 'failure-threshold': 3, 'success-threshold': 2, description: 'Unreachable' },
      },
    };
  }
  const a = input.access;
  if (a.kind === 'basic') config.security = { basic: { username: gatusText(a.username), 'password-bcrypt-base64': env(a.passwordBcryptBase64Env) } };
  if (a.kind === 'oidc') config.security = { oidc: { 'issuer-url': a.issuerUrl, 'redirect-url': a.redirectUrl, 'client-id': a.clientId, 'client-secret': env(a.clientSecretEnv), scopes: ['openid'] } };
  return config;
}

const COMPARATORS = [' == ', ' != ', ' <= ', ' >= ', ' > ', ' < '];
const SCHEMES = /^(https?|tcp|udp|sctp|icmp|tls|starttls|wss?|ssh|grpcs?):\/\//;

/** What Gatus would refuse in this config (an empty list when it loads), checked as Gatus's loader checks. */
export function checkGatusConfig(config: GatusConfig): string[] {
  const problems: string[] = [];
  if (!Array.isArray(config.endpoints) || config.endpoints.length === 0) problems.push('at least one endpoint is needed');
  const keys = new Set<string>();
  for (const e of config.endpoints ?? []) {
    const where = `endpoint ${JSON.stringify(e.name)}`;
    if (!e.name) problems.push('every endpoint needs a name');
    if (/["\\]/.test(e.name) || /["\\]/.test(e.group ?? '')) problems.push(`${where}: names and groups may not hold " or \\`);
    if (!e.url || !SCHEMES.test(e.url)) problems.push(`${where}: no url of a kind Gatus knows`);
    if (typeof e.interval !== 'string' || !/^\d+(ms|s|m|h)$/.test(e.interval)) problems.push(`${where}: the interval must be a duration such as "60s"`);
    if (!Array.isArray(e.conditions) || e.conditions.length === 0) problems.push(`${where}: at least one condition is needed`);
    for (const c of e.conditions ?? []) {
      const op = COMPARATORS.find((o) => c.includes(o));
      const [left, right] = op ? [c.slice(0, c.indexOf(op)), c.slice(c.indexOf(op) + op.length)] : ['', ''];
      if (!op || !left.trim() || !right.trim()) problems.push(`${where}: condition ${JSON.stringify(c)} is not <VALUE> <COMPARATOR> <VALUE>`);
    }
    const key = gatusKey(e.group ?? '', e.name ?? '');
    if (keys.has(key)) problems.push(`${where}: its group and name make the same key as another endpoint (${key})`);
    keys.add(key);
  }
  return problems;
}

/** Every `$` in the file is `$$` or names an environment variable as ${NAME}: anything else would be expanded. */
export function unescapedDollars(yaml: string): string[] {
  const bad: string[] = [];
  const re = /\$(\$|\{[A-Z][A-Z0-9_]{0,63}\})?/g;
  for (let m = re.exec(yaml); m; m = re.exec(yaml)) if (!m[1]) bad.push(yaml.slice(Math.max(0, m.index - 20), m.index + 20));
  return bad;
}

/** The file's text: the config checked first (a config Gatus would refuse is never written). */
export function renderGatusConfig(config: GatusConfig): string {
  const problems = checkGatusConfig(config);
  const text = `# Written by Aether Panel from its state; changes here are replaced.\n${stringify(config, { lineWidth: 0 })}`;
  const dollars = unescapedDollars(text);
  if (dollars.length) problems.push(`unescaped $ near ${dollars.map((d) => JSON.stringify(d)).join(', ')}`);
  if (problems.length) throw new Error(`the Gatus configuration would not load: ${problems.join('; ')}`);
  return text;
}

/** Writes the file whole or not at all (a temporary file renamed over it), readable by its owner only. */
export function writeGatusConfig(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
  const tmp = join(dirname(path), `.config.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
    renameSync(tmp, path);
  } finally {
    rmSync(tmp, { force: true });
  }
}
