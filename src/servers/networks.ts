// Each server's own bridge network, on a subnet the panel picks from servers.networkPool. Docker's own default pools
// hold about thirty networks (172.17-31.0.0/16, then 192.168.0.0/16 in /20s); a host running more servers than that
// could make no more. A /28 each (a gateway and the server, with room to spare) gives 4,096 networks in a /16.
import ipaddr from 'ipaddr.js';
import { conflict } from '../shared/errors.ts';
import type { Docker } from './docker.ts';

/** The size of each server's subnet. */
export const SERVER_SUBNET_BITS = 28;

type Range = { first: number; last: number };

const toInt = (a: ipaddr.IPv4) => a.octets.reduce((n, o) => n * 256 + o, 0);
const toText = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

/** An IPv4 CIDR as the first and last address (as numbers); null for IPv6 or anything unparsable. */
function rangeOf(cidr: string): Range | null {
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return null;
  const [addr, bits] = ipaddr.IPv4.parseCIDR(cidr);
  const size = 2 ** (32 - bits);
  const first = Math.floor(toInt(addr) / size) * size;
  return { first, last: first + size - 1 };
}

/** The IPv4 subnets of every network the engine has (ours and anyone's): a new one must overlap none. */
async function usedRanges(docker: Docker): Promise<Range[]> {
  const networks = await docker.listNetworks();
  return networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => (c.Subnet ? rangeOf(c.Subnet) : null)).filter((r): r is Range => r !== null));
}

const overlaps = (a: Range, b: Range) => a.first <= b.last && b.first <= a.last;

/**
 * Creates the network on the first free /28 of the pool. Another panel on the same engine may take a subnet at the
 * same moment: the engine refuses the overlap, and the next free one is tried.
 */
export async function createServerNetwork(docker: Docker, opts: { name: string; labels: Record<string, string>; pool: string; nodeName: string }): Promise<string> {
  const pool = rangeOf(opts.pool);
  if (!pool) throw new Error(`servers.networkPool ${opts.pool} is not an IPv4 range`);
  const used = await usedRanges(docker);
  const size = 2 ** (32 - SERVER_SUBNET_BITS);
  let refused = 0;
  for (let first = pool.first; first + size - 1 <= pool.last; first += size) {
    const candidate = { first, last: first + size - 1 };
    if (used.some((u) => overlaps(u, candidate))) continue;
    const subnet = `${toText(first)}/${SERVER_SUBNET_BITS}`;
    try {
      await docker.createNetwork({
        Name: opts.name,
        Driver: 'bridge',
        Labels: opts.labels,
        IPAM: { Driver: 'default', Config: [{ Subnet: subnet, Gateway: toText(first + 1) }] },
        // No inter-container traffic on it either.
        Options: { 'com.docker.network.bridge.enable_icc': 'false' },
      });
      return subnet;
    } catch (err) {
      const message = String((err as { json?: { message?: string } }).json?.message ?? (err as Error).message);
      if (!/overlap/i.test(message) || ++refused > 50) throw err;
      used.push(candidate);
    }
  }
  throw conflict('network_pool_exhausted', `No free /${SERVER_SUBNET_BITS} is left in servers.networkPool (${opts.pool}) on node "${opts.nodeName}": delete unused servers or give a larger range.`);
}
