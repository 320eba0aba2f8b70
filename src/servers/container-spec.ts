// A server's Docker create options, built only from validated fields: every container gets the same hardening, whatever its template says.
import { isIP } from 'node:net';
import { posix } from 'node:path';
import type Dockerode from 'dockerode';
import { AppError } from '../shared/errors.ts';
import { resolveEnv } from './templates/resolve-env.ts';
import { IMAGE_REFERENCE, limitsSchema, MAX_IMAGE_LENGTH, parseTemplate, type Template, type TemplatePort } from './templates/template.schema.ts';

export { resolveEnv };

/** Labels every server container carries: the panel finds its containers (and only those) by them. */
export const CONTAINER_LABELS = {
  server: 'io.aether.server',
  shortId: 'io.aether.short-id',
  template: 'io.aether.template',
  managed: 'io.aether.managed',
} as const;

export type ServerPortAllocation = { name: string; container: number; protocol: 'tcp' | 'udp'; hostIp: string; hostPort: number };

export type ContainerSpecInput = {
  server: {
    id: string;
    shortId: string;
    name: string;
    memoryMb: number;
    cpu: number;
    pids: number;
    diskMb: number;
    env: Record<string, string>;
    ports: ServerPortAllocation[];
  };
  template: Template;
  /** Absolute host path of this server's data directory; it must exist (a bind mount never creates it). */
  dataDir: string;
  /** The server's own bridge network, or null for none. */
  networkName: string | null;
  image: string;
};

export type ContainerSpec = Dockerode.ContainerCreateOptions & {
  name: string;
  Image: string;
  Env: string[];
  User: string;
  Labels: Record<string, string>;
  HostConfig: Dockerode.HostConfig;
};

/** Input that cannot become a container; the message names the server and the field. */
export class ContainerSpecError extends AppError {
  constructor(shortId: string, message: string) {
    super(400, 'invalid_container_spec', `server ${JSON.stringify(shortId)}: ${message}`);
    this.name = 'ContainerSpecError';
  }
}

const MIB = 1024 * 1024;
const SHORT_ID = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const NETWORK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/;
const CONTROL = /[\u0000-\u001f\u007f]/;
/** Host directories a server's data directory must never be, or be inside of. */
const HOST_SYSTEM_DIRS = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib32', '/lib64', '/libx32', '/proc', '/root', '/run', '/sbin', '/sys', '/usr', '/var/lib/docker', '/var/run'];

/** The Docker name of a server's container. */
export const containerName = (shortId: string): string => `aether-${shortId}`;

/**
 * The port a program listens on inside the container. A port with an env variable is told the allocated host port and
 * listens there, so inside and outside are the same number (what the game announces is what players reach); a port
 * without one listens on the template's fixed port.
 */
export const containerPortFor = (port: TemplatePort, hostPort: number): number => (port.env === undefined ? port.container : hostPort);

function dataDirProblem(dir: string): string | null {
  if (!dir.startsWith('/')) return 'must be an absolute path';
  if (CONTROL.test(dir)) return 'must not contain control characters';
  if (dir === '/') return 'cannot be /';
  if (posix.normalize(dir) !== dir || dir.endsWith('/')) return 'must be normalised (no . or .., no // and no trailing /)';
  const system = HOST_SYSTEM_DIRS.find((d) => dir === d || dir.startsWith(`${d}/`));
  return system ? `cannot be ${dir === system ? '' : 'under '}${system} on the host` : null;
}

function networkModeOf(template: Template, networkName: string | null, fail: (m: string) => never): string {
  if (template.network === 'none' || networkName === null || networkName === 'none') return 'none';
  // SECURITY: never the host's network, another container's (container:<id>) or the engine's shared default bridge.
  if (!NETWORK_NAME.test(networkName)) return fail(`networkName: ${JSON.stringify(networkName)} is not a Docker network name`);
  if (['host', 'bridge', 'default'].includes(networkName.toLowerCase())) return fail(`networkName: "${networkName}" is not allowed: a server only gets its own network or none`);
  return networkName;
}

function portsOf(template: Template, allocations: ServerPortAllocation[], fail: (m: string) => never) {
  const exposed: Record<string, Record<string, never>> = {};
  const bindings: Record<string, Dockerode.PortBinding[]> = {};
  const names = new Set<string>();
  for (const a of allocations) {
    if (names.has(a.name)) fail(`ports: "${a.name}" is allocated twice`);
    names.add(a.name);
    if (!template.ports.some((p) => p.name === a.name)) fail(`ports: "${a.name}" is not a port of template "${template.id}"`);
  }
  for (const p of template.ports) {
    const a = allocations.find((x) => x.name === p.name);
    if (!a) return fail(`ports: "${p.name}" has no allocation`);
    if (a.protocol !== p.protocol) fail(`ports: "${p.name}" is ${p.protocol} in the template, not ${a.protocol}`);
    if (!Number.isInteger(a.hostPort) || a.hostPort < 1 || a.hostPort > 65535) fail(`ports: "${p.name}" host port must be from 1 to 65535`);
    if (typeof a.hostIp !== 'string' || (a.hostIp !== '' && isIP(a.hostIp) === 0)) fail(`ports: "${p.name}" host IP must be an IP address, or "" for all`);
    const container = containerPortFor(p, a.hostPort);
    if (a.container !== container) {
      fail(`ports: "${p.name}" must use container port ${container}${p.env === undefined ? '' : ` (the program listens on ${p.env}, which is the host port)`}, not ${a.container}`);
    }
    const key = `${container}/${p.protocol}`;
    if (exposed[key]) fail(`ports: "${p.name}" uses ${key} again`);
    exposed[key] = {};
    bindings[key] = [{ HostIp: a.hostIp, HostPort: String(a.hostPort) }];
  }
  return { exposed, bindings };
}

/**
 * The create options of a server's container. Every setting is built here from checked fields; nothing of the template
 * is passed through. Throws a ContainerSpecError (or a ServerEnvError for the server's env values) on bad input.
 */
export function containerSpec(input: ContainerSpecInput): ContainerSpec {
  const { server } = input;
  const fail = (message: string): never => {
    throw new ContainerSpecError(String(server.shortId), message);
  };
  if (typeof server.shortId !== 'string' || !SHORT_ID.test(server.shortId)) fail('shortId: must be letters, digits, _, . and -, at most 63');
  if (typeof server.id !== 'string' || !SHORT_ID.test(server.id)) fail('id: must be letters, digits, _, . and -, at most 63');
  // SECURITY: parsed again, so an object that skipped validation (a stored row cast to Template) never reaches Docker.
  const template = parseTemplate(input.template, `server ${server.shortId}`);
  if (typeof input.image !== 'string' || input.image.length > MAX_IMAGE_LENGTH || !IMAGE_REFERENCE.test(input.image)) fail('image: must be a Docker image reference');
  // SECURITY: 0 means "no limit" to Docker; the bounds of a template's limits apply to every server.
  const limits = limitsSchema.safeParse({ memoryMb: server.memoryMb, cpu: server.cpu, pids: server.pids, diskMb: server.diskMb });
  if (!limits.success) {
    const issue = limits.error.issues[0]!;
    return fail(`${issue.path.map(String).join('.')}: ${issue.message}`);
  }
  const dataDirWhy = dataDirProblem(String(input.dataDir));
  if (dataDirWhy) fail(`dataDir: ${dataDirWhy}`);
  const networkMode = networkModeOf(template, input.networkName, fail);
  const ports = portsOf(template, server.ports, fail);
  if (networkMode === 'none' && template.ports.length > 0) fail('ports: a server without a network cannot publish ports');
  const env = resolveEnv(template, server.env, server.ports);
  const memory = limits.data.memoryMb * MIB;

  return {
    name: containerName(server.shortId),
    Image: input.image,
    ...(template.command ? { Cmd: [...template.command] } : {}),
    Env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
    // SECURITY: numeric and never 0 (checked by the template schema): the image's USER and /etc/passwd do not count.
    User: template.user,
    WorkingDir: template.dataPath,
    Labels: {
      [CONTAINER_LABELS.server]: server.id,
      [CONTAINER_LABELS.shortId]: server.shortId,
      [CONTAINER_LABELS.template]: template.id,
      [CONTAINER_LABELS.managed]: 'true',
    },
    // The console: the panel writes commands to stdin and reads stdout/stderr; no TTY, so the streams stay separate.
    OpenStdin: true,
    StdinOnce: false,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    StopSignal: template.stop.signal,
    StopTimeout: template.stop.timeoutSeconds,
    ExposedPorts: ports.exposed,
    HostConfig: {
      // SECURITY: every capability dropped, only the template's from the short allowed list added back.
      CapDrop: ['ALL'],
      CapAdd: [...template.capabilities],
      // SECURITY: no setuid escalation; the engine's default seccomp and AppArmor profiles stay (never "unconfined").
      SecurityOpt: ['no-new-privileges:true'],
      Privileged: false,
      ReadonlyRootfs: template.readOnlyRoot,
      ...(template.readOnlyRoot ? { Tmpfs: { '/tmp': `rw,noexec,nosuid,nodev,size=${template.tmpfsMb}m` } } : {}),
      // SECURITY: memory+swap equal to memory means no swap: a server cannot slow the host down by swapping.
      Memory: memory,
      MemorySwap: memory,
      OomKillDisable: false,
      NanoCpus: Math.round(limits.data.cpu * 1e9),
      // SECURITY: a fork bomb stops at the pids limit instead of exhausting the host's process table.
      PidsLimit: limits.data.pids,
      // SECURITY: the only mount. A typed bind mount (not a Binds string) cannot be bent by a ":" in a path, fails
      // instead of creating a missing source as root, and rprivate keeps host mount events out.
      Mounts: [{ Type: 'bind', Source: input.dataDir, Target: template.dataPath, ReadOnly: false, BindOptions: { Propagation: 'rprivate' } }],
      NetworkMode: networkMode,
      PortBindings: ports.bindings,
      PublishAllPorts: false,
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } },
      // The panel restarts crashed servers itself, so it can count crashes and stop a crash loop.
      RestartPolicy: { Name: 'no' },
      // An init as PID 1 forwards the stop signal and reaps zombies the server leaves.
      Init: true,
      IpcMode: 'private',
      PidMode: '',
    },
  };
}
