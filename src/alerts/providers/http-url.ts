// Receiver URLs in channel configs: the schema (http/https, no credentials) and the redacted forms shown in API answers.
import { z } from 'zod';
import { DeliveryError } from './provider.ts';
import { parseTargetUrl } from './net-guard.ts';

/** An http(s) URL without user name or password; whether its host may be private is decided at send time. */
export const httpUrlSchema = z
  .string()
  .max(2048)
  .superRefine((value, ctx) => {
    try {
      parseTargetUrl(value);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof DeliveryError ? err.message : 'must be an http or https URL' });
    }
  });

/** Only the origin: for URLs whose path is the secret (Discord, Slack), e.g. "https://discord.com/…". */
export function originOnly(raw: string): string {
  try {
    return `${new URL(raw).origin}/…`;
  } catch {
    return '…';
  }
}

/** Origin and path, without user info, query string or fragment (a query often carries a token). */
export function withoutQuery(raw: string): string {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '…';
  }
}
