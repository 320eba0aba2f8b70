// HTTPS configured with a valid certificate: a TLS handshake with http.publicUrl, the chain and host name verified
// against the trusted CAs, the issuer and the days left reported.
import { DAY_MS, fail, pass, warn, type Check } from '../check.types.ts';

const WARN_DAYS = 14;

export const httpsCertificateCheck: Check = {
  id: 'https-certificate',
  title: 'HTTPS configured with a valid certificate',
  async run({ config, probe, now }) {
    const publicUrl = config.http.publicUrl;
    const setUrl = 'Serve the panel through HTTPS (the appliance\'s nginx with a Let\'s Encrypt certificate: sudo certbot certonly --webroot -w /var/www/letsencrypt -d panel.example.com) and set http.publicUrl to https://panel.example.com.';
    if (!publicUrl) return warn('http.publicUrl is not set, so how users reach the panel (and whether through HTTPS) is unknown.', setUrl);
    const url = new URL(publicUrl);
    if (url.protocol !== 'https:') return warn(`http.publicUrl is ${url.origin}: users reach the panel without HTTPS, so passwords and sessions cross the network readable.`, setUrl, { publicUrl: url.origin });
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port || 443);
    let tls;
    try {
      tls = await probe.tlsConnect(host, port);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      return warn(`Could not reach ${url.host} to check its certificate: ${e.code ?? e.message}.`, `Check that ${url.host} resolves and answers HTTPS from this machine (curl -v ${url.origin}).`, { publicUrl: url.origin });
    }
    const expires = Date.parse(tls.validTo);
    const left = Math.floor((expires - now) / DAY_MS);
    const details = { publicUrl: url.origin, issuer: tls.issuer, subject: tls.subject, altNames: tls.altNames, validFrom: tls.validFrom, validTo: tls.validTo, daysLeft: left, protocol: tls.protocol, chainError: tls.chainError, hostnameError: tls.hostnameError };
    const renew = 'sudo certbot renew (and check that certbot.timer is enabled: systemctl status certbot.timer)';
    if (Number.isFinite(expires) && expires <= now) return fail(`The certificate of ${url.host} expired on ${new Date(expires).toISOString().slice(0, 10)} (issuer ${tls.issuer ?? 'unknown'}).`, renew, details);
    if (tls.selfSigned) return fail(`The certificate of ${url.host} is self-signed (${tls.chainError}; issuer ${tls.issuer ?? 'unknown'}): browsers warn, and users learn to click through warnings.`, `Use a certificate from a public CA: ${setUrl}`, details);
    if (tls.hostnameError) return fail(`The certificate of ${url.host} is not valid for ${host}: ${tls.hostnameError}.`, `Get a certificate that names ${host}: sudo certbot certonly --webroot -w /var/www/letsencrypt -d ${host}`, details);
    if (!tls.chainValid) return fail(`The certificate of ${url.host} does not verify: ${tls.chainError} (issuer ${tls.issuer ?? 'unknown'}).`, 'Install the full chain (certbot\'s fullchain.pem, not cert.pem) in nginx, or a certificate from a public CA.', details);
    const what = `The certificate of ${url.host} verifies (issuer ${tls.issuer ?? 'unknown'}, ${tls.protocol ?? 'TLS'}), expires ${new Date(expires).toISOString().slice(0, 10)}: ${left} day(s) left.`;
    if (left < WARN_DAYS) return warn(`${what} Renewal is due: Let's Encrypt certificates are renewed 30 days before they expire.`, renew, details);
    return pass(what, details);
  },
};
