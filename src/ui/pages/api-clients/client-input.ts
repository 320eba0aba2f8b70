// Turns the new-client form into the request body, with a message that says what to fix when something is off.
import type { ApiClientsMeta, NewApiClientInput } from '../../api/types.ts';
import { parseCidrLines } from '../../util/cidr.ts';
import { formatDuration } from '../../util/format.ts';

export type ClientDraft = {
  name: string;
  /** Checked global scopes. */
  scopes: string[];
  /** Per-server scopes, one `scope:serverId` per line. */
  serverScopes: string;
  /** Addresses or CIDR ranges, one per line; empty means any address. */
  allowedIps: string;
  /** Token lifetime in whole minutes, as typed. */
  ttlMinutes: string;
};

export const MAX_SCOPES = 64;
export const MAX_ALLOWED_IPS = 64;
const FALLBACK_DEFAULT_TTL = 3600;
const PER_SERVER_SCOPE = /^[a-z0-9_.-]+:\S+$/i;

export type TtlBounds = { defaultMinutes: number; maxMinutes: number | null };

/** The lifetime field's default and upper bound in minutes (no bound until the server's limits are known). */
export function ttlBounds(meta: ApiClientsMeta | null): TtlBounds {
  const defaultSeconds = meta?.defaultTokenTtl ?? FALLBACK_DEFAULT_TTL;
  return {
    defaultMinutes: Math.max(1, Math.round(defaultSeconds / 60)),
    maxMinutes: meta ? Math.max(1, Math.floor(meta.maxTokenTtl / 60)) : null,
  };
}

export function ttlRangeText(bounds: TtlBounds): string {
  return bounds.maxMinutes === null ? 'at least 1 minute' : `from 1 minute to ${formatDuration(bounds.maxMinutes * 60)}`;
}

/** Trimmed, non-empty, de-duplicated lines. */
function lines(text: string): string[] {
  return [...new Set(text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean))];
}

export function buildClientInput(draft: ClientDraft, bounds: TtlBounds): { input: NewApiClientInput } | { error: string } {
  const serverScopes = lines(draft.serverScopes);
  const badLine = serverScopes.find((line) => !PER_SERVER_SCOPE.test(line));
  if (badLine !== undefined) {
    return { error: `"${badLine}" is not a per-server scope. Write one per line as scope:serverId, for example server.start:SERVER_ID.` };
  }
  const scopes = [...new Set([...draft.scopes, ...serverScopes])];
  if (scopes.length === 0) return { error: 'Choose at least one scope.' };
  if (scopes.length > MAX_SCOPES) return { error: `A client can have at most ${MAX_SCOPES} scopes; this one has ${scopes.length}.` };

  const allowedIps = parseCidrLines(draft.allowedIps);
  if (allowedIps.length > MAX_ALLOWED_IPS) {
    return { error: `At most ${MAX_ALLOWED_IPS} addresses or ranges can be allowed; there are ${allowedIps.length}.` };
  }

  const minutes = Number(draft.ttlMinutes.trim());
  const tooLong = bounds.maxMinutes !== null && minutes > bounds.maxMinutes;
  if (!Number.isInteger(minutes) || minutes < 1 || tooLong) {
    return { error: `Token lifetime must be a whole number of minutes, ${ttlRangeText(bounds)}.` };
  }

  const input: NewApiClientInput = { name: draft.name.trim(), scopes };
  if (allowedIps.length > 0) input.allowedIps = allowedIps;
  // Left at the default: the server applies its own default to the second.
  if (minutes !== bounds.defaultMinutes) input.tokenTtl = minutes * 60;
  return { input };
}
