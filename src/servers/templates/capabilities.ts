// The only Linux capabilities a template may add back after CapDrop ALL, and why each is safe enough to allow.

// SECURITY: every allowed capability is already in Docker's default set, so a template can never give a server more
// than a plain `docker run` would. Left out of that default set on purpose: NET_RAW (raw sockets: ARP and ICMP spoofing
// of other containers on a bridge), MKNOD (device nodes), SETFCAP and SETPCAP (changing capabilities of files and
// processes), SYS_CHROOT, AUDIT_WRITE and FSETID (no game server needs them). With the non-root user and
// no-new-privileges every container has, an added capability only stays in the bounding set: it matters for images
// whose start script needs it, never as a way up.
export const ALLOWED_CAPABILITIES = [
  'CHOWN', // fix ownership of files inside the data directory
  'DAC_OVERRIDE', // read and write files of other users inside the container
  'FOWNER', // chmod/utime on files the process does not own
  'SETUID', // drop to another user (start scripts that step down)
  'SETGID', // drop to another group
  'NET_BIND_SERVICE', // listen on ports below 1024
  'KILL', // signal processes of other users inside the container
] as const;

export type Capability = (typeof ALLOWED_CAPABILITIES)[number];

/** Why some well-known capabilities are refused, for a message a person can act on. */
const REFUSED: Record<string, string> = {
  ALL: 'servers never get every capability',
  SYS_ADMIN: 'SYS_ADMIN is nearly root on the host (mounts, namespaces, BPF)',
  SYS_PTRACE: 'SYS_PTRACE lets a process read and change other processes',
  SYS_MODULE: 'SYS_MODULE loads kernel modules into the host kernel',
  SYS_RAWIO: 'SYS_RAWIO gives raw access to host I/O ports and memory',
  SYS_TIME: 'SYS_TIME changes the clock of the host',
  NET_ADMIN: 'NET_ADMIN changes interfaces, routes and firewall rules',
  NET_RAW: 'NET_RAW allows spoofed packets towards other containers',
  DAC_READ_SEARCH: 'DAC_READ_SEARCH allows opening host files by handle (the "shocker" escape)',
  MKNOD: 'MKNOD creates device nodes',
};

/** The message for a capability that is not on the allowed list. */
export function capabilityProblem(name: unknown): string {
  const text = typeof name === 'string' ? name : JSON.stringify(name);
  const why = typeof name === 'string' ? REFUSED[name.toUpperCase().replace(/^CAP_/, '')] : undefined;
  return `${JSON.stringify(text)} is not allowed${why ? `: ${why}` : ''}; only ${ALLOWED_CAPABILITIES.join(', ')} may be added`;
}
