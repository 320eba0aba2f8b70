// Helpers for the allowlist editor: split textarea lines and turn an address into a host CIDR.

/** Non-empty, trimmed, de-duplicated lines; text after '#' is a comment. */
export function parseCidrLines(text: string): string[] {
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line) seen.add(line);
  }
  return [...seen];
}

/** The single-host CIDR for an address (IPv4-mapped IPv6 is written as IPv4). */
export function hostCidr(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) return `${mapped[1]}/32`;
  if (ip.includes('/')) return ip;
  return ip.includes(':') ? `${ip}/128` : `${ip}/32`;
}
