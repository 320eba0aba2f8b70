// Docker nodes: the local engine (created at first start) and remote ones, each with a client, a health check and the
// address and port range its servers publish on.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, type Caller } from '../auth/caller.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { SecretBox } from '../shared/secret-box.ts';
import { closeDockerClient, dockerClient, dockerFailure, type Docker, type NodeConnection } from './docker.ts';

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

export type NodeHealth = { reachable: boolean; checkedAt: string; version: string | null; error: string | null };

export type PublicNode = {
  id: string;
  name: string;
  kind: NodeConnection['kind'];
  connection: Record<string, unknown>;
  publicIp: string;
  portRange: { min: number; max: number };
  health: NodeHealth | null;
};

export type LiveNode = PublicNode & { docker: Docker };

export const LOCAL_NODE_ID = 'local';

export type NodesService = ReturnType<typeof createNodesService>;

export type NewNode = { name: string; connection: Exclude<NodeConnection, { kind: 'socket' }>; publicIp: string; portRange: { min: number; max: number } };

export function createNodesService(deps: { db: Db; clock: Clock; audit: AuditService; box: SecretBox; local: { socketPath: string; publicIp: string; portMin: number; portMax: number } }) {
  const { db, clock, box, audit } = deps;
  const clients = new Map<string, { docker: Docker; sealed: string }>();
  const health = new Map<string, NodeHealth>();

  const redact = (c: NodeConnection): Record<string, unknown> =>
    c.kind === 'socket'
      ? { socketPath: c.socketPath }
      : c.kind === 'tcp'
        ? { host: c.host, port: c.port }
        : { host: c.host, port: c.port, username: c.username, hostKeyFingerprint: c.hostKeyFingerprint };

  function present(r: NodeRow): PublicNode {
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      connection: JSON.parse(r.connection_public) as Record<string, unknown>,
      publicIp: r.public_ip,
      portRange: { min: r.port_min, max: r.port_max },
      health: health.get(r.id) ?? null,
    };
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

  async function check(r: NodeRow): Promise<NodeHealth> {
    const at = new Date(clock.now()).toISOString();
    try {
      const v = (await clientOf(r).version()) as { Version?: string };
      const h = { reachable: true, checkedAt: at, version: v.Version ?? null, error: null };
      health.set(r.id, h);
      return h;
    } catch (err) {
      const h = { reachable: false, checkedAt: at, version: null, error: (err as Error).message.slice(0, 200) };
      health.set(r.id, h);
      return h;
    }
  }

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
      return present(r);
    },
    async remove(caller: Caller, id: string): Promise<void> {
      const r = await row(id);
      if (id === LOCAL_NODE_ID) throw conflict('local_node', 'The local node cannot be removed.');
      if (await db('servers').where({ node_id: id }).first('id')) throw conflict('node_in_use', 'Servers still run on this node: move or delete them first.');
      await db('nodes').where({ id }).delete();
      drop(id);
      health.delete(id);
      await audit.record({ type: 'node.deleted', ...auditFrom(caller), target: { type: 'node', id, name: r.name }, outcome: 'success' });
    },
    /** Ends every connection to every engine (SSH logins); the panel is stopping. */
    stop(): void {
      for (const id of [...clients.keys()]) drop(id);
    },
    async list(): Promise<PublicNode[]> {
      return ((await db<NodeRow>('nodes').orderBy('name')) as NodeRow[]).map(present);
    },
    async get(id: string): Promise<PublicNode> {
      return present(await row(id));
    },
    /** A node with its Docker client, for the servers service. */
    async live(id: string): Promise<LiveNode> {
      const r = await row(id);
      return { ...present(r), docker: clientOf(r) };
    },
    /** Asks every node's engine for its version; the answers are what node health shows. */
    async checkAll(): Promise<PublicNode[]> {
      const rows = (await db<NodeRow>('nodes')) as NodeRow[];
      await Promise.all(rows.map(check));
      return rows.map(present);
    },
    async check(id: string): Promise<NodeHealth> {
      return check(await row(id));
    },
    /** Runs a call against a node's engine; an engine that does not answer becomes 503 docker_unreachable. */
    async call<T>(id: string, fn: (docker: Docker, node: PublicNode) => Promise<T>): Promise<T> {
      const r = await row(id);
      try {
        return await fn(clientOf(r), present(r));
      } catch (err) {
        return dockerFailure(err, r.name);
      }
    },
  };
}
