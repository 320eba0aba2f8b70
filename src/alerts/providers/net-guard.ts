// Outgoing HTTP(S) for the channel providers: the SSRF guard (public unicast addresses only) and postJson, the one POST they use.
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DeliveryError, type SendContext } from './provider.ts';

/** The most of a receiver's answer that is read; the rest is dropped with the connection. */
export const MAX_ANSWER_BYTES = 64 * 1024;

export const USER_AGENT = 'AetherPanel-Alerts';

const RANGE_NAMES: Record<string, string> = {
  loopback: 'loopback address',
  private: 'private address',
  linkLocal: 'link-local address',
  uniqueLocal: 'unique-local address',
  carrierGradeNat: 'carrier-grade NAT address',
  unspecified: 'unspecified address',
  multicast: 'multicast address',
  broadcast: 'broadcast address',
  reserved: 'reserved address',
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

/** Why an address is not a public unicast one (e.g. "loopback address"), or null when it is. */
export function addressRefusal(ip: string): string | null {
  const bare = ip.replace(/^\[|\]$/g, '').split('%')[0] ?? '';
  if (!ipaddr.isValid(bare)) return 'not an IP address';
  let addr = ipaddr.parse(bare);
  let mapped = '';
  if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) {
    // SECURITY: ::ffff:127.0.0.1 reaches 127.0.0.1; judge the IPv4 address it stands for.
    addr = (addr as ipaddr.IPv6).toIPv4Address();
    mapped = ' (IPv4-mapped)';
  }
  const range = addr.range();
  if (range !== 'unicast') return `${RANGE_NAMES[range] ?? `${range} address (not public)`}${mapped}`;
  // SECURITY: public IPv6 unicast is 2000::/3 only; ipaddr.js calls e.g. IPv4-compatible ::7f00:1 "unicast".
  if (addr.kind() === 'ipv6' && !addr.match(GLOBAL_UNICAST_V6)) return 'not a global unicast address';
  return null;
}

/** Why a host name is refused without resolving it (localhost and *.localhost, RFC 6761), or null. */
export function hostnameRefusal(hostname: string): string | null {
  const name = hostname.toLowerCase().replace(/\.+$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return 'loopback host name';
  return null;
}

const refusal = (what: string, reason: string): DeliveryError =>
  new DeliveryError(`refusing ${what}: ${reason}; set allowPrivateNetwork to allow it`, true);

/** Parses a receiver URL: http or https only, no user name or password in it. Throws a permanent DeliveryError. */
export function parseTargetUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DeliveryError('the receiver URL is not a valid URL', true);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new DeliveryError(`refusing ${url.protocol.replace(/:$/, '')} URL: only http and https are allowed`, true);
  }
  // SECURITY: credentials in a URL end up in logs and API answers; receivers take a secret in a header or the path.
  if (url.username !== '' || url.password !== '') {
    throw new DeliveryError(`refusing URL with a user name or password (${url.hostname})`, true);
  }
  return url;
}

/** The host part of a URL as node's http wants it: IPv6 without brackets. */
const bareHost = (url: URL): string => url.hostname.replace(/^\[|\]$/g, '');

/**
 * Checks what can be checked before connecting: the scheme, credentials, a localhost name and a literal IP address
 * (node does not call `lookup` for a literal IP). Host names are checked on their resolved addresses by guardedLookup.
 */
export function checkTarget(raw: string, allowPrivateNetwork: boolean): URL {
  const url = parseTargetUrl(raw);
  if (allowPrivateNetwork) return url;
  const host = bareHost(url);
  const byName = hostnameRefusal(host);
  if (byName) throw refusal(host, byName);
  if (ipaddr.isValid(host)) {
    const reason = addressRefusal(host);
    if (reason) throw refusal(host, reason);
  }
  return url;
}

/**
 * A `lookup` for node's net/http that resolves a name once, refuses it when ANY of its addresses is not public, and
 * hands exactly the checked addresses to the connection.
 */
export function guardedLookup(allowPrivateNetwork: boolean): LookupFunction {
  return (hostname, options: LookupOptions, callback) => {
    // SECURITY: the addresses checked here are the ones connected to; nothing resolves the name a second time, so a
    // DNS answer that changes between check and connect (DNS rebinding) cannot slip through.
    dnsLookup(hostname, { family: options.family ?? 0, hints: options.hints ?? 0, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '');
      if (addresses.length === 0) return callback(Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }), '');
      if (!allowPrivateNetwork) {
        for (const { address } of addresses) {
          const reason = addressRefusal(address);
          if (reason) return callback(refusal(`${hostname} (resolves to ${address})`, reason) as NodeJS.ErrnoException, '');
        }
      }
      if (options.all) return callback(null, addresses);
      const first = addresses[0]!;
      return callback(null, first.address, first.family);
    });
  };
}

export type HttpAnswer = { status: number; body: string };

/** Error text from a node error: its code (ECONNREFUSED, ...) or message, never the URL (it may carry a token). */
function networkReason(err: Error, url: URL): string {
  const code = (err as NodeJS.ErrnoException).code;
  const text = (code && /^E[A-Z_]+$/.test(code) ? code : err.message).split(url.href).join(url.host);
  const pathAndQuery = `${url.pathname}${url.search}`;
  return pathAndQuery.length > 1 ? text.split(pathAndQuery).join('…') : text;
}

/** A short, one-line excerpt of a receiver's answer for an error message. */
const excerpt = (body: string): string => {
  const line = body.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return line === '' ? '' : `: ${line.length > 200 ? `${line.slice(0, 199)}…` : line}`;
};

/** Turns a receiver's status into the outcome: 2xx accepted, 408/429/5xx worth a retry, anything else refused for good. */
function classify(host: string, status: number, body: string): DeliveryError | null {
  if (status >= 200 && status < 300) return null;
  if (status >= 300 && status < 400) {
    // SECURITY: a redirect could point anywhere (an internal address included); it is never followed.
    return new DeliveryError(`${host} answered ${status} (a redirect); redirects are not followed, set the final URL`, true);
  }
  const retry = status === 408 || status === 429 || status >= 500;
  return new DeliveryError(`${host} answered ${status}${excerpt(body)}`, !retry);
}

/**
 * POSTs a JSON body. Resolves with the answer on a 2xx; throws a DeliveryError otherwise (see classify), on a refused
 * target (permanent), and on network errors or when the whole exchange takes longer than ctx.timeoutMs (not permanent).
 */
export function postJson(rawUrl: string, body: string, headers: Record<string, string>, ctx: SendContext): Promise<HttpAnswer> {
  const url = checkTarget(rawUrl, ctx.allowPrivateNetwork);
  const host = url.host;
  const request = url.protocol === 'https:' ? https.request : http.request;
  return new Promise((resolve, reject) => {
    let settled = false;
    let req: http.ClientRequest | undefined;
    const finish = (err: DeliveryError | null, answer?: HttpAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req?.destroy();
      if (err) reject(err);
      else resolve(answer!);
    };
    // One timer for the whole exchange: connecting, sending and reading the answer.
    const timer = setTimeout(() => finish(new DeliveryError(`${host} did not answer within ${ctx.timeoutMs} ms`, false)), ctx.timeoutMs);
    try {
      req = request({
        protocol: url.protocol,
        hostname: bareHost(url),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json', 'User-Agent': USER_AGENT, 'Content-Length': String(Buffer.byteLength(body)) },
        lookup: guardedLookup(ctx.allowPrivateNetwork),
        // A fresh connection per attempt: a pooled socket would skip the lookup, and with it the check.
        agent: false,
      });
    } catch (err) {
      finish(new DeliveryError(`could not send to ${host}: ${networkReason(err as Error, url)}`, true));
      return;
    }
    req.on('error', (err) => finish(err instanceof DeliveryError ? err : new DeliveryError(`could not reach ${host}: ${networkReason(err, url)}`, false)));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let size = 0;
      const done = () => {
        const text = Buffer.concat(chunks).toString('utf8');
        finish(classify(host, status, text), { status, body: text });
      };
      res.on('data', (chunk: Buffer) => {
        const room = MAX_ANSWER_BYTES - size;
        chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
        size += Math.min(chunk.length, room);
        // SECURITY: a receiver cannot make the panel buffer an unbounded answer; past the limit the connection is dropped.
        if (size >= MAX_ANSWER_BYTES) done();
      });
      res.on('end', done);
      res.on('error', (err) => finish(new DeliveryError(`the answer from ${host} broke off: ${networkReason(err, url)}`, false)));
    });
    req.end(body);
  });
}
