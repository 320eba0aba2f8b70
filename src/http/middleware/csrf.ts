// CSRF: cookie-authenticated mutating requests need X-CSRF-Token bound to the session and a same-origin Origin.
import { createHmac } from 'node:crypto';
import { forbidden } from '../../shared/errors.ts';
import { safeEqual } from '../../shared/ids.ts';
import type { AppContext } from '../context.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The token for a session: an HMAC of the session's random salt, so the database alone cannot produce it. */
export const csrfTokenFor = (key: Buffer, salt: string): string => createHmac('sha256', key).update(`csrf:${salt}`).digest('base64url');

/** The origin the browser must be on: the configured public URL, else the Host the request came to. */
export function expectedOrigin(ctx: AppContext, publicUrl: string | undefined): string {
  if (publicUrl) return new URL(publicUrl).origin;
  return `${ctx.state.secure ? 'https' : 'http'}://${ctx.get('Host')}`;
}

/** Refuses a request whose Origin (or, lacking it, Referer) names another site. */
export function checkOrigin(ctx: AppContext, publicUrl: string | undefined, required: boolean): void {
  const origin = ctx.get('Origin') || (ctx.get('Referer') ? safeOrigin(ctx.get('Referer')) : '');
  if (!origin) {
    if (required) throw forbidden('csrf_failed', 'Missing Origin header on a state-changing request.');
    return;
  }
  if (origin !== expectedOrigin(ctx, publicUrl)) throw forbidden('csrf_failed', 'Cross-origin request refused.');
}

function safeOrigin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

/**
 * Every unsafe request riding on a session cookie must carry the session's token: a signed-in session, and also one
 * that only waits for the second factor.
 */
export function checkCsrf(ctx: AppContext, key: Buffer, publicUrl: string | undefined): void {
  if (SAFE.has(ctx.method) || ctx.state.authMethod === 'bearer') return;
  if (ctx.state.authMethod !== 'session' && !ctx.session?.mfa) return;
  checkOrigin(ctx, publicUrl, true);
  const salt = ctx.session?.csrfSalt;
  const sent = ctx.get('X-CSRF-Token');
  if (!salt || !sent || !safeEqual(sent, csrfTokenFor(key, salt))) {
    throw forbidden('csrf_failed', 'Missing or invalid CSRF token.');
  }
}
