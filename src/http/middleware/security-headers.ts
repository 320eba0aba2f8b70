// Security headers on every response: strict CSP, no framing, no sniffing, no referrer, HSTS over HTTPS.
import type { AppMiddleware } from '../context.ts';

// SECURITY: no 'unsafe-inline' and no 'unsafe-eval' anywhere; the UI ships only external scripts and stylesheets.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
  'interest-cohort=()',
].join(', ');

export const securityHeaders = (): AppMiddleware => async (ctx, next) => {
  ctx.set('Content-Security-Policy', CSP);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('Permissions-Policy', PERMISSIONS_POLICY);
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Cross-Origin-Resource-Policy', 'same-origin');
  if (ctx.state.secure) ctx.set('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
  await next();
};
