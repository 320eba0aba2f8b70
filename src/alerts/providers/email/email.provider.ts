// E-mail channel: sends the notification through an SMTP server with nodemailer (the only module that imports it).
import nodemailer, { type NodemailerError } from 'nodemailer';
import { type ChannelProvider, DeliveryError } from '../provider.ts';
import { type EmailConfig, emailConfigSchema } from './email.config.ts';
import { emailContent } from './email.message.ts';

const MASK = '********';

/** Codes of failures that retrying cannot fix: credentials, TLS policy or trust, addresses, configuration. */
const PERMANENT_CODES = new Set(['EAUTH', 'ENOAUTH', 'ETLS', 'EREQUIRETLS', 'EENVELOPE', 'ECONFIG']);

const TLS_HINT = /certificate|self[- ]signed|CERT_|unable to verify|altnames/i;

/** Maps a nodemailer error to a DeliveryError: 5xx replies and configuration problems are permanent, the rest is not. */
export function smtpFailure(err: unknown, config: EmailConfig, timeoutMs: number): DeliveryError {
  const e = err as NodemailerError;
  const where = `${config.host}:${config.port}`;
  const detail = (e.message ?? String(err)).replace(/[\r\n]+/g, ' ').slice(0, 300);
  if (e.name === 'AbortError' || e.code === 'EABORT') {
    return new DeliveryError(`SMTP server ${where} did not finish within ${timeoutMs} ms`, false);
  }
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    // RFC 5321: 5yz is a permanent refusal (550 unknown recipient, 535 bad credentials), 4yz a temporary one. 503 (bad
    // sequence of commands) is a session problem, not a verdict on the message.
    const permanent = e.responseCode >= 500 && e.responseCode !== 503;
    return new DeliveryError(`SMTP server ${where} refused${e.command ? ` ${e.command.split(' ')[0]}` : ''}: ${detail}`, permanent);
  }
  if (e.code === 'ETLS' || TLS_HINT.test(detail)) {
    return new DeliveryError(`TLS with SMTP server ${where} failed: ${detail} (a private CA can be trusted with the ca option)`, true);
  }
  return new DeliveryError(`SMTP server ${where}: ${detail}`, PERMANENT_CODES.has(e.code ?? ''));
}

export const emailProvider: ChannelProvider<EmailConfig> = {
  type: 'email',
  label: 'E-mail (SMTP)',
  configSchema: emailConfigSchema,
  redact: (config) => ({ ...config, ...(config.auth ? { auth: { user: config.auth.user, pass: MASK } } : {}) }),
  async send(config, message, ctx) {
    const timeoutMs = Math.min(ctx.timeoutMs, config.timeoutSeconds * 1000);
    const content = emailContent(message, config.from);
    const transport = nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      requireTLS: !config.secure && config.starttls === 'required',
      ignoreTLS: !config.secure && config.starttls === 'off',
      ...(config.auth ? { auth: { user: config.auth.user, pass: config.auth.pass } } : {}),
      // SECURITY: certificates are always verified; a private CA is trusted by naming it, never by turning checks off.
      tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(config.ca ? { ca: config.ca } : {}) },
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      dnsTimeout: timeoutMs,
      logger: false,
      // SECURITY: message parts are strings the panel built; nodemailer must never read a file or fetch a URL for them.
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    try {
      await transport.sendMail({
        from: { name: 'Aether Panel', address: config.from },
        to: config.to,
        ...content,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw smtpFailure(err, config, timeoutMs);
    } finally {
      transport.close();
    }
  },
};
