// IPv4/IPv6 addresses and CIDR ranges: parsing, normalising (IPv4-mapped IPv6) and matching.
import ipaddr from 'ipaddr.js';

export type Cidr = { text: string; range: [ipaddr.IPv4 | ipaddr.IPv6, number] };

/** Normalises an address: strips IPv4-mapped IPv6 (::ffff:1.2.3.4 -> 1.2.3.4) and zone ids. */
export function normalizeIp(ip: string): string {
  const bare = ip.split('%')[0] ?? ip;
  if (!ipaddr.isValid(bare)) return bare;
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    return (parsed as ipaddr.IPv6).toIPv4Address().toString();
  }
  return parsed.toString();
}

/**
 * What per-address limits count under: an IPv4 address itself, and for IPv6 the address's /64 network. An IPv6 host
 * is normally handed a whole /64, so counting single addresses would let it take a fresh one for every attempt.
 */
export function addressKey(ip: string): string {
  if (!ip.includes(':')) return ip;
  const norm = normalizeIp(ip);
  if (!norm.includes(':') || !ipaddr.IPv6.isValid(norm)) return norm;
  const parts = ipaddr.IPv6.parse(norm).parts;
  return `${new ipaddr.IPv6([...parts.slice(0, 4), 0, 0, 0, 0]).toString()}/64`;
}

export const isIp = (ip: string): boolean => ipaddr.isValid(ip.split('%')[0] ?? ip);

/** Parses "10.0.0.0/8", "::1/128" or a bare address (as a /32 or /128). Throws on anything else. */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const withPrefix = trimmed.includes('/') ? trimmed : `${trimmed}/${trimmed.includes(':') ? 128 : 32}`;
  if (!ipaddr.isValidCIDR(withPrefix)) throw new Error(`"${text}" is not an IP address or CIDR range`);
  const [addr, bits] = ipaddr.parseCIDR(withPrefix);
  return { text: `${addr.toString()}/${bits}`, range: [addr, bits] };
}

/** Whether the text is an IPv4 range of at least /maxPrefix (10.213.0.0/16 for a maxPrefix of 28). */
export const isIpv4Range = (text: string, maxPrefix: number): boolean => ipaddr.IPv4.isValidCIDR(text) && ipaddr.IPv4.parseCIDR(text)[1] <= maxPrefix;

export const isValidCidr = (text: string): boolean => {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
};

export function ipInCidrs(ip: string, cidrs: readonly Cidr[]): boolean {
  const norm = normalizeIp(ip);
  if (!ipaddr.isValid(norm)) return false;
  const addr = ipaddr.parse(norm);
  return cidrs.some(({ range }) => addr.kind() === range[0].kind() && addr.match(range));
}
