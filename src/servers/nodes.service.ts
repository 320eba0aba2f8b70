// Docker nodes: the local engine (created at first start) and remote ones, each with a client, a health check (every
// 15 s once followed; calls to an engine that just failed one fail at once), its free capacity, and the address and
// port range its servers publish on.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { closeDockerClient, dockerClient, dockerFailure, engineUnreachable, isUnreachable, type Docker, type NodeConnection } from './docker.ts';
import { capacityOf, NO_ALLOCATION, type Allocation, type NodeCapacity } from './node-capacity.ts';
import { createNodeHealth, HEALTH_INTERVAL_MS, type HealthChange, type NodeHealth } from './node-health.ts';

export type { NodeHealth } from './node-health.ts';

type NodeRow = {
  id: string;
  name: string;
  kind: NodeConnection['kind'];
  connection_sealed: string;
  connection_public: string;
  public_ip: string;
  port_min: number;
  port_max: number;
  created_at: number | string;
  updated_at: number | string;
};

/** A node as the servers service uses it. */
export type NodeInfo = {
  id: string;
  name: string;
  kind: NodeConnection['kind'];
  connection: Record<string, unknown>;
  publicIp: string;
  portRange: { min: number; max: number };
  health: NodeHealth | null;
};

/** A node as administrators see it: with its free capacity (null until its engine has answered once). */
export type PublicNode = NodeInfo & { capacity: NodeCapacity | null };

export type LiveNode = NodeInfo & { docker: Docker };

export const LOCAL_NODE_ID = 'local';

export type NodesService = ReturnType<typeof createNodesService>;

export type NewNode = { name: string; connection: Exclude<NodeConnection, { kind: 'socket' }>; publicIp: string; portRange: { min: number; max: number } };

export function createNodesService(deps: { db: Db; clock: Clock; audit: AuditService; box: SecretBox; local: { socketPath: string; publicIp: string; portMin: number; portMax: number } }) {
  const { db, clock, box, audit } = deps;
  const clients = new Map<string, { docker: Docker; sealed: string }>();
  const health = createNodeHealth({ clock });
  let followTimer: NodeJS.Timeout | null = null;

  const redact = (c: NodeConnection): Record<string, unknown> =>
    c.kind === 'socket'
      ? { socketPath: c.socketPath }
      : c.kind === 'tcp'
        ? { host: c.host, port: c.port }
        : { host: c.host, port: c.port, username: c.username, hostKeyFingerprint: c.hostKeyFingerprint };

  function present(r: NodeRow): NodeInfo {
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      connection: JSON.parse(r.connection_public) as Record<string, unknown>,
      publicIp: r.public_ip,
      portRange: { min: r.port_min, max: r.port_max },
      health: health.get(r.id),
    };
  }

  /** What the servers on each node were promised (memory and CPU limits summed, servers counted), by node id. */
  async function allocations(): Promise<Map<string, Allocation>> {
    const rows = (await db('servers').select('node_id').sum('memory_mb as memory').sum('cpu as cpus').count('* as servers').groupBy('node_id')) as Array<{
      node_id: string;
      memory: number | string | null;
      cpus: number | string | null;
      servers: number | string;
    }>;
    return new Map(rows.map((r) => [r.node_id, { memoryMb: Number(r.memory ?? 0), cpus: Number(r.cpus ?? 0), servers: Number(r.servers) }]));
  }

  async function withCapacity(rows: NodeRow[]): Promise<PublicNode[]> {
    const allocated = await allocations();
    return rows.map((r) => {
      const engine = health.resources(r.id);
      return { ...present(r), capacity: engine ? capacityOf(engine, allocated.get(r.id) ?? NO_ALLOCATION) : null };
    });
  }

  /** Forgets a node's client, ending the connections it keeps open. */
  function drop(id: string): void {
    const cached = clients.get(id);
    if (cached) closeDockerClient(cached.docker);
    clients.delete(id);
  }

  function clientOf(r: NodeRow): Docker {
    const cached = clients.get(r.id);
    if (cached && cached.sealed === r.connection_sealed) return cached.docker;
    if (cached) closeDockerClient(cached.docker);
    const docker = dockerClient(JSON.parse(box.open(r.connection_sealed, `node:${r.id}`)) as NodeConnection);
    clients.set(r.id, { docker, sealed: r.connection_sealed });
    return docker;
  }

  async function row(id: string): Promise<NodeRow> {
    const r = (await db<NodeRow>('nodes').where({ id }).first()) as NodeRow | undefined;
    if (!r) throw notFound('Node');
    return r;
  }

  const check = (r: NodeRow): Promise<NodeHealth> => health.check(r.id, () => clientOf(r));

  /** Every node checked at once (each waits at most a few seconds for its engine). */
  async function checkAll(): Promise<NodeRow[]> {
    const rows = (await db<NodeRow>('nodes').orderBy('name')) as NodeRow[];
    await Promise.all(rows.map(check));
    return rows;
  }

  /** One round of the periodic checks at a time: a round that waits on a silent engine is not stacked on. */
  let round: Promise<unknown> | null = null;
  const followRound = () => {
    round ??= checkAll()
      .catch(() => undefined)
      .finally(() => {
        round = null;
      });
  };

  return {
    /** The local engine is a node from the first start on (its settings follow the config). */
    async ensureLocal(): Promise<void> {
      const conn: NodeConnection = { kind: 'socket', socketPath: deps.local.socketPath };
      const now = clock.now();
      const fields = {
        kind: conn.kind,
        connection_sealed: box.seal(JSON.stringify(conn), `node:${LOCAL_NODE_ID}`),
        connection_public: JSON.stringify(redact(conn)),
        public_ip: deps.local.publicIp,
        port_min: deps.local.portMin,
        port_max: deps.local.portMax,
        updated_at: now,
      };
      const existing = await db('nodes').where({ id: LOCAL_NODE_ID }).first('id');
      if (existing) await db('nodes').where({ id: LOCAL_NODE_ID }).update(fields);
      else await db('nodes').insert({ id: LOCAL_NODE_ID, name: 'local', created_at: now, ...fields });
      drop(LOCAL_NODE_ID);
    },
    /** Adds a remote engine: TCP with TLS client certificates, or SSH. Its keys are stored encrypted. */
    async create(caller: Caller, input: NewNode): Promise<PublicNode> {
      if (await db('nodes').whereRaw('lower(name) = ?', [input.name.toLowerCase()]).first('id')) throw conflict('name_taken', `A node named "${input.name}" exists already.`);
      const id = newId();
      const now = clock.now();
      await db('nodes').insert({
        id,
        name: input.name,
        kind: input.connection.kind,
        connection_sealed: box.seal(JSON.stringify(input.connection), `node:${id}`),
        connection_public: JSON.stringify(redact(input.connection)),
        public_ip: input.publicIp,
        port_min: input.portRange.min,
        port_max: input.portRange.max,
        created_at: now,
        updated_at: now,
      });
      await audit.record({ type: 'node.created', ...auditFrom(caller), target: { type: 'node', id, name: input.name }, outcome: 'success', details: { kind: input.connection.kind, ...redact(input.connection) } });
      const r = await row(id);
      await check(r);
      return (await withCapacity([r]))[0]!;
    },
    async remove(caller: Caller, id: string): Promise<void> {
      const r = await row(id);
      if (id === LOCAL_NODE_ID) throw conflict('local_node', 'The local node cannot be removed.');
      if (await db('servers').where({ node_id: id }).first('id')) throw conflict('node_in_use', 'Servers still run on this node: move or delete them first.');
      await db('nodes').where({ id }).delete();
      drop(id);
      health.forget(id);
      await audit.record({ type: 'node.deleted', ...auditFrom(caller), target: { type: 'node', id, name: r.name }, outcome: 'success' });
    },
    /** Checks every node every intervalMs from now on (until stop); a node that starts or stops answering is told to onHealthChange. */
    follow(intervalMs = HEALTH_INTERVAL_MS): void {
      if (followTimer) return;
      followTimer = setInterval(followRound, intervalMs);
      followTimer.unref();
    },
    /** Told when a node's engine stops answering, or answers again. */
    onHealthChange(listener: HealthChange): () => void {
      return health.onChange(listener);
    },
    /** Ends every connection to every engine (SSH logins) and the periodic checks; the panel is stopping. */
    stop(): void {
      if (followTimer) clearInterval(followTimer);
      followTimer = null;
      for (const id of [...clients.keys()]) drop(id);
    },
    /** The nodes with their last health and their free capacity (no engine is asked). */
    async list(): Promise<PublicNode[]> {
      return withCapacity((await db<NodeRow>('nodes').orderBy('name')) as NodeRow[]);
    },
    async get(id: string): Promise<PublicNode> {
      return (await withCapacity([await row(id)]))[0]!;
    },
    /** A node with its Docker client, for the servers service. */
    async live(id: string): Promise<LiveNode> {
      const r = await row(id);
      return { ...present(r), docker: clientOf(r) };
    },
    /** Asks every node's engine now (at most a few seconds each, all at once); the answers are what node health and capacity show. */
    async checkAll(): Promise<PublicNode[]> {
      return withCapacity(await checkAll());
    },
    async check(id: string): Promise<NodeHealth> {
      return check(await row(id));
    },
    /**
     * Runs a call against a node's engine; an engine that does not answer becomes 503 docker_unreachable. An engine
     * that failed its last check is not waited for: within a few seconds of that check the call fails at once, later
     * the engine is checked again (briefly) first. A call that finds the engine gone has it checked now, so its
     * servers show unknown without waiting for the next periodic check.
     */
    async call<T>(id: string, fn: (docker: Docker, node: NodeInfo) => Promise<T>): Promise<T> {
      const r = await row(id);
      const first = health.before(id);
      if (first === 'fail' || (first === 'check' && !(await check(r)).reachable)) throw engineUnreachable(r.name);
      try {
        return await fn(clientOf(r), present(r));
      } catch (err) {
        if (isUnreachable(err)) void check(r);
        return dockerFailure(err, r.name);
      }
    },
  };
}
