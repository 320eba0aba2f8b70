// Types of the servers API: servers, their live figures, the templates they are made from, nodes, and console frames.

export const SERVER_STATES = ['running', 'starting', 'stopping', 'stopped', 'crashed', 'unknown'] as const;
export type ServerState = (typeof SERVER_STATES)[number];

export type PowerAction = 'start' | 'stop' | 'restart' | 'kill';

export type RestartPolicy = 'never' | 'on-crash';

export type ServerLimits = { memoryMb: number; cpu: number; pids: number; diskMb: number };

export type ServerPort = { name: string; container: number; protocol: 'tcp' | 'udp'; hostIp: string; hostPort: number };

export type Server = {
  id: string;
  shortId: string;
  name: string;
  /** The template's id. */
  template: string;
  /** The node's id. */
  node: string;
  ownerId: string | null;
  state: ServerState;
  limits: ServerLimits;
  ports: ServerPort[];
  /** The server's own values; variables not listed take the template's default. */
  env: Record<string, string>;
  restartPolicy: RestartPolicy;
  crashCount: number;
  lastExitCode: number | null;
  lastStartedAt: string | null;
  lastExitedAt: string | null;
  createdAt: string;
  /** Set while suspended: stopped, not startable, closed to all but those who may suspend servers. */
  suspended: { at: string; by: string | null; reason: string } | null;
  /** The per-server scopes the signed-in user holds on this server. */
  myScopes: string[];
};

/** A server's figures at one moment (GET /servers/:id/stats, and the console's "stats" frames). */
export const SERVER_SERIES = ['cpuPct', 'cpuLimitPct', 'memoryBytes', 'memoryLimitBytes', 'netRxBps', 'netTxBps', 'diskBytes', 'diskLimitBytes'] as const;
export type ServerSeriesName = (typeof SERVER_SERIES)[number];

/** A server's figures over time, as chart columns (sampled with the host while the server runs). */
export type ServerHistory = {
  /** false: resource monitoring is off, so no history is taken. */
  sampling: boolean;
  resolution: '10s' | '5m';
  stepSeconds: number;
  from: string;
  to: string;
  /** Milliseconds since the epoch, one per point; every series has one value (or null: not running) per point. */
  ts: number[];
  series: Record<ServerSeriesName, Array<number | null>>;
  /** 5-minute maxima; null at 10 s. */
  max: Record<ServerSeriesName, Array<number | null>> | null;
};

export type ServerStats = {
  ts: string;
  running: boolean;
  /** As `docker stats` counts it: 100 is one CPU core fully used (a server limited to 0.5 CPU reaches 50 at most). */
  cpuPct: number;
  memoryBytes: number;
  memoryLimitBytes: number;
  netRxBytes: number;
  netTxBytes: number;
  /** Bytes in the data directory (measured every half minute or so). */
  diskBytes: number;
  diskLimitBytes: number;
};

export type EnvRule =
  | { type: 'string'; pattern?: string; maxLength: number }
  | { type: 'integer'; min: number; max: number }
  | { type: 'enum'; values: string[] }
  | { type: 'boolean' };

export type TemplateEnvVar = {
  name: string;
  label: string;
  description: string;
  default?: string;
  required: boolean;
  /** False: the template locks the variable to its default. */
  editable: boolean;
  rule: EnvRule;
};

export type TemplatePort = { name: string; container: number; protocol: 'tcp' | 'udp'; env?: string };

export type Template = {
  id: string;
  name: string;
  description: string;
  image: string;
  env: TemplateEnvVar[];
  ports: TemplatePort[];
  stop: { command?: string; signal: string; timeoutSeconds: number };
  limits: ServerLimits;
  source?: 'shipped' | 'custom';
};

export type DockerNode = {
  id: string;
  name: string;
  kind: 'socket' | 'tcp' | 'ssh';
  publicIp: string;
  portRange: { min: number; max: number };
  health: { reachable: boolean; checkedAt: string; version: string | null; error: string | null } | null;
  /** The engine's memory and CPUs against the limits of the servers placed on it (null until its engine answered). */
  capacity: NodeCapacity | null;
};

export type NodeCapacity = {
  memoryMb: { total: number; allocated: number; free: number };
  cpus: { total: number; allocated: number; free: number };
  servers: number;
};

/** The node choice that lets the panel place a server: the reachable node with the most free capacity. */
export const AUTO_NODE = 'auto';

export type NewServerInput = {
  name: string;
  template: string;
  /** A node's id, or AUTO_NODE (the default). */
  node?: string;
  limits?: Partial<ServerLimits>;
  env?: Record<string, string>;
  /** Host port per template port name; a port left out gets the lowest free one in the node's range. */
  ports?: Record<string, number>;
  restartPolicy?: RestartPolicy;
};

/** One problem with a variable, as listed by an invalid_env error. */
export type EnvProblem = { variable: string; reason: string };

/** A single-use ticket that opens the console WebSocket (valid for a few seconds). */
export type ConsoleTicket = { ticket: string; expiresAt: string };

/** Frames the server sends on the console WebSocket. */
export type ConsoleFrame =
  | { type: 'history'; lines: string[] }
  | { type: 'output'; data: string }
  | { type: 'state'; state: ServerState }
  | { type: 'stats'; stats: ServerStats }
  | { type: 'error'; code: string; message: string };
