// Security headers on every response (strict CSP, no framing, no sniffing, HSTS over HTTPS), document policies on pages.
import { isApiPath, isOAuthPath, type AppContext } from '../context.ts';

// SECURITY: no 'unsafe-inline' and no 'unsafe-eval' anywhere; the UI ships only external scripts and stylesheets.
const DOCUMENT_CSP = [
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

// SECURITY: an API answer is data, never a document: if a browser is ever made to render one, it may load nothing.
const API_CSP = "default-src 'none'; frame-ancestors 'none'";

export function setSecurityHeaders(ctx: AppContext): void {
  const res = ctx.res;
  if (isApiPath(ctx.path) || isOAuthPath(ctx.path)) {
    res.setHeader('Content-Security-Policy', API_CSP);
  } else {
    // Policies that only mean something for a document the browser renders (and the links it follows).
    res.setHeader('Content-Security-Policy', DOCUMENT_CSP);
    res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Referrer-Policy', 'no-referrer');
  }
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  if (ctx.state.secure) res.setHeader('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
}
