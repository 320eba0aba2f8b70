// Resolves the client address and scheme: X-Forwarded-For/-Proto are believed only from configured trusted proxies.
import { ipInCidrs, normalizeIp, isIp, parseCidr } from '../../shared/cidr.ts';
import type { AppContext } from '../context.ts';

export function resolveClient(
  socketIp: string,
  socketEncrypted: boolean,
  headers: { forwardedFor?: string | undefined; forwardedProto?: string | undefined },
  trusted: ReturnType<typeof parseCidr>[],
): { ip: string; secure: boolean } {
  let ip = normalizeIp(socketIp);
  let secure = socketEncrypted;
  if (trusted.length === 0 || !ipInCidrs(ip, trusted)) return { ip, secure };
  // SECURITY: walk X-Forwarded-For from the right, past our own proxies only; the first untrusted hop is the client.
  const hops = (headers.forwardedFor ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  const protos = (headers.forwardedProto ?? '').split(',').map((p) => p.trim().toLowerCase()).filter(Boolean);
  const proto = protos[protos.length - 1];
  if (proto === 'https') secure = true;
  else if (proto === 'http') secure = false;
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i] as string;
    if (!isIp(hop)) break;
    ip = normalizeIp(hop);
    if (!ipInCidrs(ip, trusted)) break;
  }
  return { ip, secure };
}

/** Returns the step that sets the request's client address, scheme and an empty caller (nobody signed in yet). */
export const clientAddress = (trustedProxies: readonly string[]): ((ctx: AppContext) => void) => {
  const trusted = trustedProxies.map(parseCidr);
  // A direct client's address cannot change on a kept-alive connection, so it is resolved once per socket.
  const direct = new WeakMap<object, { ip: string; secure: boolean }>();
  return (ctx) => {
    const socket = ctx.req.socket;
    let resolved = direct.get(socket);
    if (!resolved) {
      resolved = resolveClient(
        socket.remoteAddress ?? '0.0.0.0',
        Boolean((socket as { encrypted?: boolean }).encrypted),
        { forwardedFor: ctx.get('X-Forwarded-For') || undefined, forwardedProto: ctx.get('X-Forwarded-Proto') || undefined },
        trusted,
      );
      // Only when the peer is not a trusted proxy: a proxy's requests each carry their own client in the headers.
      if (trusted.length === 0 || !ipInCidrs(resolved.ip, trusted)) {
        const peer = normalizeIp(socket.remoteAddress ?? '0.0.0.0');
        if (peer === resolved.ip) direct.set(socket, resolved);
      }
    }
    ctx.state.ip = resolved.ip;
    ctx.state.secure = resolved.secure;
    ctx.cookies.secure = resolved.secure;
    ctx.state.actor = null;
    ctx.state.enrolling = null;
    ctx.state.restriction = null;
    ctx.state.authMethod = null;
    ctx.state.session = null;
    ctx.state.sessionKey = null;
    ctx.state.caller = { actor: null, ip: resolved.ip, userAgent: ctx.get('User-Agent').slice(0, 512) || null };
  };
};
