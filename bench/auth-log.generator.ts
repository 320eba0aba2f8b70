// A deterministic sshd auth.log with its ground truth: brute-force bursts from a few addresses (IPv4 and IPv6), logins
// from new networks, some right after a burst from the same address, and ordinary noise.

/** mulberry32: a small seeded PRNG, so the same seed gives the same log everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type GroundTruth = {
  /** Every burst: at least 5 failures from one address (or IPv6 /64) within 10 minutes. */
  bursts: Array<{ ip: string; firstTs: number; lastTs: number; failures: number }>;
  /** A successful login from a burst's address within the hour after it. */
  loginsAfterBurst: Array<{ ip: string; user: string; ts: number }>;
  /** A user's login from a network never seen for that user before. */
  newNetworkLogins: Array<{ user: string; ip: string; ts: number }>;
};

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');
/** Classic syslog time ("Nov  7 09:00:01"), in UTC so the log reads the same on every machine. */
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
};

const USERS = ['alice', 'bob', 'carol', 'deploy', 'backup', 'git', 'erin', 'frank'];
const GUESSES = ['root', 'admin', 'test', 'oracle', 'ubuntu', 'user', 'postgres', 'pi', 'guest', 'ftp'];

/**
 * Yields `lines` lines of auth.log, one at a time (the caller streams them to a file), then returns the ground truth.
 * `start` is the first line's time in milliseconds (UTC).
 */
export function* authLog(lines: number, seed = 42, start = Date.UTC(2026, 0, 5, 0, 0, 0)): Generator<string, GroundTruth> {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const truth: GroundTruth = { bursts: [], loginsAfterBurst: [], newNetworkLogins: [] };
  // Each user's home networks, learned from their first login (the rule's baseline).
  const home = new Map<string, string>(USERS.map((u, i) => [u, `10.${i}.0.${10 + i}`]));
  const seenNets = new Map<string, Set<string>>();
  const net = (ip: string) => (ip.includes(':') ? ip.split(':').slice(0, 4).join(':') : ip.split('.').slice(0, 3).join('.'));
  let t = start;
  let pid = 1000;
  let produced = 0;
  const line = (text: string) => {
    produced += 1;
    return `${stamp(t)} host sshd[${pid}]: ${text}`;
  };
  const login = (user: string, ip: string) => {
    const nets = seenNets.get(user) ?? new Set<string>();
    if (nets.size > 0 && !nets.has(net(ip))) truth.newNetworkLogins.push({ user, ip, ts: Math.floor(t / 1000) * 1000 });
    nets.add(net(ip));
    seenNets.set(user, nets);
    return line(`Accepted publickey for ${user} from ${ip} port ${20000 + Math.floor(rnd() * 40000)} ssh2: ED25519 SHA256:k${Math.floor(rnd() * 1e6)}`);
  };
  let burstNo = 0;
  while (produced < lines) {
    t += Math.floor(rnd() * 120) + 1;
    pid += 1;
    const r = rnd();
    if (r < 0.0015 && produced + 40 < lines) {
      // A brute-force burst: 6 to 30 failures, a few seconds apart, from one IPv4 address or from several IPv6
      // addresses of one /64; sometimes followed by a successful login from the same address.
      burstNo += 1;
      const v6 = burstNo % 3 === 0;
      const base = v6 ? `2001:db8:${(burstNo % 4000).toString(16)}:${(burstNo * 7 % 65536).toString(16)}` : `198.51.${burstNo % 250}.${(burstNo * 13) % 250 + 1}`;
      const ipFor = (i: number) => (v6 ? `${base}::${(i % 5) + 1}` : base);
      const failures = 6 + Math.floor(rnd() * 25);
      const firstTs = Math.floor(t / 1000) * 1000;
      for (let i = 0; i < failures; i += 1) {
        t += 1000 + Math.floor(rnd() * 3000);
        const user = pick(GUESSES);
        const invalid = user !== 'root';
        if (invalid) yield line(`Invalid user ${user} from ${ipFor(i)} port ${30000 + i}`);
        yield line(`Failed password for ${invalid ? 'invalid user ' : ''}${user} from ${ipFor(i)} port ${30000 + i} ssh2`);
      }
      truth.bursts.push({ ip: v6 ? `${base}::/64` : base, firstTs, lastTs: Math.floor(t / 1000) * 1000, failures });
      if (burstNo % 4 === 1) {
        t += 5000 + Math.floor(rnd() * 60_000);
        const user = pick(USERS);
        truth.loginsAfterBurst.push({ ip: ipFor(0), user, ts: Math.floor(t / 1000) * 1000 });
        yield login(user, ipFor(0));
      }
      continue;
    }
    if (r < 0.05) {
      // A user logging in: mostly from home, now and then from a new network.
      const user = pick(USERS);
      const ip = rnd() < 0.02 ? `203.0.${Math.floor(rnd() * 250)}.${Math.floor(rnd() * 250) + 1}` : home.get(user)!;
      yield login(user, ip);
      continue;
    }
    if (r < 0.06) {
      // A single failed login from a scanner: never enough for a burst.
      yield line(`Failed password for invalid user ${pick(GUESSES)} from 192.0.2.${Math.floor(rnd() * 250) + 1} port ${40000 + Math.floor(rnd() * 20000)} ssh2`);
      continue;
    }
    const noise = Math.floor(rnd() * 5);
    if (noise === 0) yield line(`Received disconnect from 10.0.${Math.floor(rnd() * 8)}.1 port 22: 11: disconnected by user`);
    else if (noise === 1) yield line(`Disconnected from user ${pick(USERS)} 10.0.${Math.floor(rnd() * 8)}.1 port 22`);
    else if (noise === 2) yield line(`pam_unix(sshd:session): session closed for user ${pick(USERS)}`);
    else if (noise === 3) {
      produced += 1;
      yield `${stamp(t)} host CRON[${pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`;
    } else yield line(`Connection closed by 10.0.${Math.floor(rnd() * 8)}.2 port ${50000 + Math.floor(rnd() * 10000)} [preauth]`);
  }
  return truth;
}
