// The channel form's draft: its defaults, the draft of an existing channel, and the request body it makes (or what to fix).
import type { AlertChannel, AlertSource, ChannelPatch, ChannelRouting, NewChannelInput } from '../../api/alerts.types.ts';
import type { Severity } from '../../api/types.ts';

export type StartTls = 'required' | 'opportunistic' | 'off';

/** Types whose config the form has fields for; any other type takes its config as JSON. */
export const FORM_TYPES = ['email', 'webhook', 'discord', 'slack'] as const;
/** Types that post to a URL, where reaching private addresses is a choice. */
export const URL_TYPES = ['webhook', 'discord', 'slack'];

export type ChannelDraft = {
  type: string;
  name: string;
  enabled: boolean;
  minSeverity: Severity;
  allSources: boolean;
  sources: AlertSource[];
  sendOnResolve: boolean;
  rateMax: string;
  rateWindowSeconds: string;
  allowPrivateNetwork: boolean;
  /** Editing only: send a new config (it replaces the stored one whole). */
  replaceConfig: boolean;
  url: string;
  secret: string;
  host: string;
  port: string;
  secure: boolean;
  starttls: StartTls;
  from: string;
  to: string;
  authUser: string;
  authPass: string;
  ca: string;
  /** Config of a type the form has no fields for. */
  json: string;
};

export const MAX_NAME = 64;

export const emptyChannelDraft = (type: string): ChannelDraft => ({
  type,
  name: '',
  enabled: true,
  minSeverity: 'medium',
  allSources: true,
  sources: [],
  sendOnResolve: false,
  rateMax: '10',
  rateWindowSeconds: '600',
  allowPrivateNetwork: false,
  replaceConfig: true,
  url: '',
  secret: '',
  host: '',
  port: '587',
  secure: false,
  starttls: 'required',
  from: '',
  to: '',
  authUser: '',
  authPass: '',
  ca: '',
  json: '{}',
});

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * The draft of an existing channel. Secrets are never sent back by the API, and receiver URLs only in part, so the
 * connection settings start empty apart from the e-mail fields that are not secret.
 */
export function draftOf(channel: AlertChannel): ChannelDraft {
  const config = channel.config;
  const auth = (config['auth'] ?? null) as { user?: unknown } | null;
  const to = config['to'];
  const starttls = text(config['starttls']);
  return {
    ...emptyChannelDraft(channel.type),
    name: channel.name,
    enabled: channel.enabled,
    minSeverity: channel.minSeverity,
    allSources: channel.sources === null,
    sources: channel.sources ?? [],
    sendOnResolve: channel.sendOnResolve,
    rateMax: String(channel.rateLimit.max),
    rateWindowSeconds: String(channel.rateLimit.windowSeconds),
    allowPrivateNetwork: channel.allowPrivateNetwork,
    replaceConfig: false,
    host: text(config['host']),
    port: typeof config['port'] === 'number' ? String(config['port']) : '587',
    secure: config['secure'] === true,
    starttls: starttls === 'opportunistic' || starttls === 'off' ? starttls : 'required',
    from: text(config['from']),
    to: Array.isArray(to) ? to.filter((x) => typeof x === 'string').join(', ') : text(to),
    authUser: text(auth?.user),
  };
}

type Built<T> = { value: T } | { error: string };

function wholeNumber(value: string, min: number, max: number): number | null {
  const n = Number(value.trim());
  return value.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

function buildConfig(draft: ChannelDraft): Built<Record<string, unknown>> {
  switch (draft.type) {
    case 'email': {
      const port = wholeNumber(draft.port, 1, 65535);
      if (!draft.host.trim()) return { error: 'Enter the SMTP server host.' };
      if (port === null) return { error: 'The port is a whole number from 1 to 65535 (usually 587, 465 or 25).' };
      const to = draft.to.split(',').map((address) => address.trim()).filter(Boolean);
      if (!draft.from.trim()) return { error: 'Enter the sender address.' };
      if (to.length === 0) return { error: 'Enter at least one recipient address.' };
      if (draft.authUser.trim() && !draft.authPass) return { error: 'Enter the SMTP password of the user, or clear the user name.' };
      return {
        value: {
          host: draft.host.trim(),
          port,
          secure: draft.secure,
          starttls: draft.starttls,
          from: draft.from.trim(),
          to,
          ...(draft.authUser.trim() ? { auth: { user: draft.authUser.trim(), pass: draft.authPass } } : {}),
          ...(draft.ca.trim() ? { ca: draft.ca.trim() } : {}),
        },
      };
    }
    case 'webhook':
      if (!draft.url.trim()) return { error: 'Enter the URL the notifications are posted to.' };
      if (draft.secret.length < 16) return { error: 'The signing secret needs at least 16 characters; Generate makes a strong one.' };
      return { value: { url: draft.url.trim(), secret: draft.secret } };
    case 'discord':
    case 'slack':
      if (!draft.url.trim()) return { error: 'Enter the webhook URL.' };
      return { value: { url: draft.url.trim() } };
    default:
      try {
        const parsed: unknown = JSON.parse(draft.json);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'The config must be a JSON object.' };
        return { value: parsed as Record<string, unknown> };
      } catch {
        return { error: 'The config is not valid JSON.' };
      }
  }
}

function buildRouting(draft: ChannelDraft, mayAllowPrivate: boolean): Built<Omit<ChannelRouting, 'allowPrivateNetwork'> & { allowPrivateNetwork?: boolean }> {
  const name = draft.name.trim();
  if (!name) return { error: 'Give the channel a name.' };
  if (name.length > MAX_NAME) return { error: `The name can be at most ${MAX_NAME} characters.` };
  if (!draft.allSources && draft.sources.length === 0) return { error: 'Tick at least one source, or send alerts of all sources.' };
  const max = wholeNumber(draft.rateMax, 1, 1000);
  const windowSeconds = wholeNumber(draft.rateWindowSeconds, 1, 86_400);
  if (max === null) return { error: 'Messages per window is a whole number from 1 to 1000.' };
  if (windowSeconds === null) return { error: 'The window is a whole number of seconds from 1 to 86400 (one day).' };
  return {
    value: {
      name,
      enabled: draft.enabled,
      minSeverity: draft.minSeverity,
      sources: draft.allSources ? null : draft.sources,
      sendOnResolve: draft.sendOnResolve,
      rateLimit: { max, windowSeconds },
      // Only an administrator may set it (the server refuses it from others); others leave it as it is.
      ...(mayAllowPrivate ? { allowPrivateNetwork: URL_TYPES.includes(draft.type) && draft.allowPrivateNetwork } : {}),
    },
  };
}

export function buildNewChannel(draft: ChannelDraft, mayAllowPrivate: boolean): Built<NewChannelInput> {
  const routing = buildRouting(draft, mayAllowPrivate);
  if ('error' in routing) return routing;
  const config = buildConfig(draft);
  if ('error' in config) return config;
  return { value: { allowPrivateNetwork: false, ...routing.value, type: draft.type, config: config.value } };
}

export function buildChannelPatch(draft: ChannelDraft, mayAllowPrivate: boolean): Built<ChannelPatch> {
  const routing = buildRouting(draft, mayAllowPrivate);
  if ('error' in routing) return routing;
  if (!draft.replaceConfig) return { value: routing.value };
  const config = buildConfig(draft);
  if ('error' in config) return config;
  return { value: { ...routing.value, config: config.value } };
}
