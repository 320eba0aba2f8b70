// Reads sshd's effective settings from its configuration files when `sshd -T` cannot run (it needs root): Include
// followed in place, first value wins, except Port and ListenAddress which add up, as sshd itself reads them.
import { basename, dirname, isAbsolute, join } from 'node:path';
import type { HostProbe } from './host-probe.ts';

export type SshdSettings = { ports: number[]; passwordauthentication: string; kbdinteractiveauthentication: string; permitrootlogin: string; usepam: string };

const DEFAULTS: Omit<SshdSettings, 'ports'> = { passwordauthentication: 'yes', kbdinteractiveauthentication: 'yes', permitrootlogin: 'prohibit-password', usepam: 'no' };
const ALIASES: Record<string, string> = { challengeresponseauthentication: 'kbdinteractiveauthentication' };
const CUMULATIVE = new Set(['port']);
const WANTED = new Set(['port', 'passwordauthentication', 'kbdinteractiveauthentication', 'permitrootlogin', 'usepam']);
const MAX_DEPTH = 16;

/** Shell-style wildcard (* and ?) of an Include pattern's last part, matched against a file name. */
const wildcard = (pattern: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);

/** The keyword and its first argument, lower-cased keyword; "Key=value" and "Key value" both. */
function splitLine(raw: string): [string, string[]] | null {
  const line = raw.replace(/^\s+/, '');
  if (!line || line.startsWith('#')) return null;
  const m = /^([A-Za-z0-9]+)(?:\s*=\s*|\s+)(.*)$/.exec(line.trimEnd());
  if (!m) return null;
  const args = (m[2]!.match(/"[^"]*"|\S+/g) ?? []).map((a) => a.replace(/^"|"$/g, ''));
  return [m[1]!.toLowerCase(), args];
}

export async function readSshdConfig(probe: HostProbe, path: string): Promise<{ settings: SshdSettings; files: string[] } | null> {
  const values = new Map<string, string>();
  const ports: number[] = [];
  const files: string[] = [];
  const base = dirname(path);

  async function expand(pattern: string): Promise<string[]> {
    const full = isAbsolute(pattern) ? pattern : join(base, pattern);
    if (!/[*?]/.test(basename(full))) return [full];
    const dir = dirname(full);
    const re = wildcard(basename(full));
    return ((await probe.readDir(dir)) ?? []).filter((n) => re.test(n)).map((n) => join(dir, n));
  }

  async function read(file: string, depth: number): Promise<boolean> {
    if (depth > MAX_DEPTH) throw new Error(`Include nests deeper than ${MAX_DEPTH} levels at ${file}`);
    const text = await probe.readFile(file);
    if (text === null) return false;
    files.push(file);
    for (const raw of text.split('\n')) {
      const parsed = splitLine(raw);
      if (!parsed) continue;
      const [key0, args] = parsed;
      // A Match block applies to some connections only and runs to the end of its file: the global settings are read.
      if (key0 === 'match') return true;
      if (key0 === 'include') {
        for (const pattern of args) for (const f of await expand(pattern)) await read(f, depth + 1);
        continue;
      }
      const key = ALIASES[key0] ?? key0;
      if (!WANTED.has(key) || args.length === 0) continue;
      if (CUMULATIVE.has(key)) {
        const n = Number(args[0]);
        if (Number.isInteger(n)) ports.push(n);
      } else if (!values.has(key)) values.set(key, args[0]!.toLowerCase());
    }
    return true;
  }

  if (!(await read(path, 0))) return null;
  const settings: SshdSettings = {
    ports: ports.length ? [...new Set(ports)] : [22],
    passwordauthentication: values.get('passwordauthentication') ?? DEFAULTS.passwordauthentication,
    kbdinteractiveauthentication: values.get('kbdinteractiveauthentication') ?? DEFAULTS.kbdinteractiveauthentication,
    permitrootlogin: (values.get('permitrootlogin') ?? DEFAULTS.permitrootlogin).replace('without-password', 'prohibit-password'),
    usepam: values.get('usepam') ?? DEFAULTS.usepam,
  };
  return { settings, files };
}

/** The same settings from `sshd -T` output (lower-case keywords, one per line; port repeated per port). */
export function parseSshdT(text: string): SshdSettings {
  const ports: number[] = [];
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [key, value] = line.trim().split(/\s+/, 2);
    if (!key || value === undefined) continue;
    if (key === 'port') ports.push(Number(value));
    else if (!values.has(key)) values.set(key, value.toLowerCase());
  }
  return {
    ports: [...new Set(ports)],
    passwordauthentication: values.get('passwordauthentication') ?? DEFAULTS.passwordauthentication,
    kbdinteractiveauthentication: values.get('kbdinteractiveauthentication') ?? values.get('challengeresponseauthentication') ?? DEFAULTS.kbdinteractiveauthentication,
    permitrootlogin: (values.get('permitrootlogin') ?? DEFAULTS.permitrootlogin).replace('without-password', 'prohibit-password'),
    usepam: values.get('usepam') ?? DEFAULTS.usepam,
  };
}
