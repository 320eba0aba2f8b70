// The address a rule counts under: an IPv4 address or its /24 (or other prefix), an IPv6 address's /64 by default.
import ipaddr from 'ipaddr.js';
import { detach } from './detach.ts';

const cache = new Map<string, string>();

/** "203.0.113.9" with v4 24 -> "203.0.113.0/24"; "2001:db8::1" with v6 64 -> "2001:db8::/64". Anything else as it is. */
export function groupIp(ip: string, v4: number, v6: number): string {
  const isV6 = ip.includes(':');
  if (!isV6 && v4 === 32) return ip;
  const cacheKey = `${v4}/${v6}|${ip}`;
  const hit = cache.get(cacheKey);
  if (hit !== undefined) return hit;
  let out = ip;
  try {
    const addr = ipaddr.parse(ip);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) out = groupIp((addr as ipaddr.IPv6).toIPv4Address().toString(), v4, v6);
    else {
      const bits = addr.kind() === 'ipv6' ? v6 : v4;
      const max = addr.kind() === 'ipv6' ? 128 : 32;
      out = bits >= max ? addr.toString() : networkOf(addr, bits);
    }
  } catch {
    out = ip;
  }
  // Bounded: a flood of distinct addresses only costs a cleared cache.
  if (cache.size >= 100_000) cache.clear();
  cache.set(detach(cacheKey), out);
  return out;
}

function networkOf(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): string {
  const bytes = addr.toByteArray();
  for (let i = 0; i < bytes.length; i += 1) {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    bytes[i]! &= keep === 0 ? 0 : (0xff << (8 - keep)) & 0xff;
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${bits}`;
}
