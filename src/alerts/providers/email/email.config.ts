// The e-mail channel's config: SMTP server, TLS policy, addresses and credentials, checked so no value can inject a header.
import { X509Certificate } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { z } from 'zod';

const CONTROL = /[\u0000-\u001f\u007f]/;
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const HOSTNAME = new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`);
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;

/** A plain address (local@domain, no display name), ASCII; the domain may be a single label such as localhost. */
function isAddress(value: string): boolean {
  const at = value.lastIndexOf('@');
  if (at < 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  return local.length <= 64 && LOCAL_PART.test(local) && domain.length <= 253 && HOSTNAME.test(domain) && !domain.endsWith('.');
}

// SECURITY: addresses become From/To headers and SMTP commands; a CR or LF in one would add headers or commands.
const address = z
  .string()
  .max(254)
  .refine((v) => !CONTROL.test(v), { message: 'must not contain line breaks or control characters', abort: true })
  .refine(isAddress, 'must be a plain e-mail address such as alerts@example.com');

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** True when the text holds at least one PEM certificate and every one of them parses. */
function isPemCertificates(text: string): boolean {
  const blocks = text.match(PEM_CERT) ?? [];
  if (blocks.length === 0) return false;
  try {
    for (const block of blocks) new X509Certificate(block);
    return true;
  } catch {
    return false;
  }
}

export const STARTTLS_MODES = ['required', 'opportunistic', 'off'] as const;

export const emailConfigSchema = z
  .strictObject({
    host: z
      .string()
      .min(1)
      .max(253)
      .refine((h) => HOSTNAME.test(h) || ipaddr.isValid(h), 'must be a host name or an IP address')
      .describe('SMTP server host name or address (not checked against private ranges: a local relay is normal).'),
    port: z.number().int().min(1).max(65535).describe('SMTP port: usually 587 (STARTTLS), 465 (implicit TLS) or 25.'),
    secure: z.boolean().default(false).describe('TLS from the first byte (implicit TLS, port 465); false starts in plain text.'),
    starttls: z
      .enum(STARTTLS_MODES)
      .default('required')
      .describe("With secure false: 'required' fails unless the server upgrades to TLS; 'opportunistic' upgrades when offered; 'off' never upgrades."),
    from: address.describe('Sender address, e.g. alerts@example.com.'),
    to: z
      .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(address).min(1).max(20))
      .describe('Recipient addresses, 1 to 20 (one address may be given as a string).'),
    auth: z
      .strictObject({
        user: z.string().min(1).max(256).refine((v) => !CONTROL.test(v), 'must not contain line breaks or control characters').describe('SMTP user name.'),
        pass: z.string().min(1).max(1024).describe('SMTP password; never shown again once saved.'),
      })
      .optional()
      .describe('Credentials for SMTP AUTH (PLAIN or LOGIN); only sent over TLS.'),
    ca: z
      .string()
      .max(100_000)
      .refine(isPemCertificates, 'must be one or more PEM certificates (-----BEGIN CERTIFICATE-----)')
      .optional()
      .describe("PEM certificate(s) of a private CA to trust for this server's TLS, in place of the public CAs."),
    timeoutSeconds: z.number().int().min(1).max(120).default(20).describe('Give up on one attempt after this many seconds.'),
  })
  .superRefine((config, ctx) => {
    // SECURITY: a password must not cross the network in plain text, nor be given away to a STARTTLS-stripping attacker.
    if (config.auth && !config.secure && config.starttls !== 'required') {
      ctx.addIssue({ code: 'custom', path: ['auth'], message: "credentials need TLS: set secure to true or starttls to 'required'" });
    }
  });

export type EmailConfig = z.infer<typeof emailConfigSchema>;
