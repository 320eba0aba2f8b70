// Servers: each one a hardened container of its own on a node (named, or the one with the most free capacity), with its
// own network and data directory. Create, start, stop (the template's stop command, then a kill after its timeout),
// restart, kill, delete; state reconciled from Docker at start and whenever a node answers again (its servers show
// unknown while it does not); a container that dies on its own is a crash (audited, optionally restarted with a
// growing delay).
import { chmodSync, chownSync, lchownSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AuditService } from '../audit/index.ts';
import { auditFrom, systemCaller, type Caller } from '../auth/caller.ts';
import { can, type Actor } from '../auth/permissions.ts';
import { withClusterLock } from '../db/cluster-lock.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, badRequest, conflict, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { Logger } from '../shared/logger.ts';
import { createConsoleHub } from './console.ts';
import { createContainerExits, type ContainerExit } from './container-exits.ts';
import { containerSpec } from './container-spec.ts';
import { containerUser, ensureImage, waitExit, writeStdin } from './containers.ts';
import { dockerStatus, engineUnreachable, isUnreachable, type Docker } from './docker.ts';
import { createServerNetwork } from './networks.ts';
import { createNodeStates, LABEL_SERVER } from './node-states.ts';
import type { LiveNode, NodesService } from './nodes.service.ts';
import { choosePlacement, type PlacementCandidate } from './placement.ts';
import { directorySize, serverReadings, serverStats, type ServerReadings, type ServerStats } from './stats.ts';
import type { TemplatesService } from './templates.service.ts';
import { resolveEnv } from './templates/index.ts';

export type ServerState = 'stopped' | 'starting' | 'running' | 'stopping' | 'crashed' | 'unknown';

type ServerRow = {
  id: string;
  short_id: string;
  name: string;
  template_id: string;
  node_id: string;
  owner_id: string | null;
  memory_mb: number;
  cpu: number;
  pids: number;
  disk_mb: number;
  env: string;
  ports: string;
  state: ServerState;
  container_id: string | null;
  network: string | null;
  restart_policy: 'never' | 'on-crash';
  crash_count: number;
  last_exit_code: number | null;
  last_started_at: number | string | null;
  last_exited_at: number | string | null;
  created_at: number | string;
  updated_at: number | string;
  suspended_at: number | string | null;
  suspended_by: string | null;
  suspended_reason: string | null;
};

export type ServerPort = { name: string; container: number; protocol: 'tcp' | 'udp'; hostIp: string; hostPort: number };

export type PublicServer = {
  id: string;
  shortId: string;
  name: string;
  template: string;
  node: string;
  ownerId: string | null;
  state: ServerState;
  limits: { memoryMb: number; cpu: number; pids: number; diskMb: number };
  ports: ServerPort[];
  env: Record<string, string>;
  restartPolicy: 'never' | 'on-crash';
  crashCount: number;
  lastExitCode: number | null;
  lastStartedAt: string | null;
  lastExitedAt: string | null;
  createdAt: string;
  /** Set while the server is suspended: stopped, not startable, closed to all but those who may suspend servers. */
  suspended: { at: string; by: string | null; reason: string } | null;
};

export type NewServer = {
  name: string;
  template: string;
  /** The node's id; null: the reachable node with the most free capacity that fits the server. */
  node: string | null;
  ownerId: string | null;
  limits?: Partial<{ memoryMb: number; cpu: number; pids: number; diskMb: number }>;
  env?: Record<string, string>;
  ports?: Record<string, number>;
  restartPolicy?: 'never' | 'on-crash';
};

export type PowerAction = 'start' | 'stop' | 'restart' | 'kill';

const iso = (v: number | string | null): string | null => (v === null ? null : new Date(Number(v)).toISOString());
/** The global scope that suspends servers, and reaches suspended ones. */
export const SUSPEND_SCOPE = 'servers.suspend';
const MIB = 1024 * 1024;
/** Bytes in MiB for messages: "12.5". */
const mib = (bytes: number): string => String(Math.round((bytes / MIB) * 10) / 10);

export type ServersService = ReturnType<typeof createServersService>;

export function createServersService(deps: {
  db: Db;
  clock: Clock;
  audit: AuditService;
  logger: Logger;
  nodes: NodesService;
  templates: TemplatesService;
  /** Host directory holding one data directory per server. */
  dataRoot: string;
  /** Where each server's own network gets its subnet (servers.networkPool). */
  networkPool: string;
  /** Upper bounds for any server's limits. */
  maxLimits: { memoryMb: number; cpu: number; pids: number; diskMb: number };
  /** Delay before the first automatic restart of a crashed server; doubled per crash in a row, up to restartMaxMs. */
  restartBaseMs: number;
  restartMaxMs: number;
}) {
  const { db, clock, audit, logger, nodes, templates } = deps;
  /** Servers the panel itself is stopping: their container's exit is not a crash. */
  const stopping = new Set<string>();
  const restartTimers = new Map<string, NodeJS.Timeout>();
  const system = systemCaller('servers');
  const hub = createConsoleHub({ logger });
  const stateListeners = new Set<(serverId: string, state: ServerState) => void>();

  const present = (r: ServerRow): PublicServer => ({
    id: r.id,
    shortId: r.short_id,
    name: r.name,
    template: r.template_id,
    node: r.node_id,
    ownerId: r.owner_id,
    state: r.state,
    limits: { memoryMb: r.memory_mb, cpu: Number(r.cpu), pids: r.pids, diskMb: r.disk_mb },
    ports: JSON.parse(r.ports) as ServerPort[],
    env: JSON.parse(r.env) as Record<string, string>,
    restartPolicy: r.restart_policy,
    crashCount: r.crash_count,
    lastExitCode: r.last_exit_code,
    lastStartedAt: iso(r.last_started_at),
    lastExitedAt: iso(r.last_exited_at),
    createdAt: iso(r.created_at)!,
    suspended: r.suspended_at === null || r.suspended_at === undefined ? null : { at: iso(r.suspended_at)!, by: r.suspended_by, reason: r.suspended_reason ?? '' },
  });

  // Suspended servers by id, read once and kept up to date here (every suspension goes through this service): every
  // per-server request asks, so it is not a database read each time.
  let suspensions: Promise<Set<string>> | null = null;
  const suspendedIds = () =>
    (suspensions ??= (db('servers').whereNotNull('suspended_at').select('id') as Promise<Array<{ id: string }>>).then(
      (rows) => new Set(rows.map((r) => r.id)),
      (err: unknown) => {
        suspensions = null;
        throw err;
      },
    ));
  const refuseIfSuspended = (r: ServerRow) => {
    if (r.suspended_at !== null && r.suspended_at !== undefined) throw conflict('server_suspended', 'This server is suspended; it cannot be started until it is unsuspended.');
  };

  async function row(id: string): Promise<ServerRow> {
    const r = (await db<ServerRow>('servers').where({ id }).first()) as ServerRow | undefined;
    if (!r) throw notFound('Server');
    return r;
  }

  const setState = async (id: string, state: ServerState, extra: Record<string, unknown> = {}) => {
    await db('servers').where({ id }).update({ state, updated_at: clock.now(), ...extra });
    for (const l of stateListeners) l(id, state);
  };
  /** Sets the state only if it is still `from` (a power action that changed it meanwhile wins); true when it did. */
  const setStateFrom = async (id: string, from: ServerState, state: ServerState): Promise<boolean> => {
    const n = await db('servers').where({ id, state: from }).update({ state, updated_at: clock.now() });
    if (n) for (const l of stateListeners) l(id, state);
    return n > 0;
  };

  const record = (caller: Caller, type: string, r: Pick<ServerRow, 'id' | 'name'>, details: Record<string, unknown> = {}, outcome: 'success' | 'failure' = 'success') =>
    audit.record({ type, ...auditFrom(caller), target: { type: 'server', id: r.id, name: r.name }, outcome, details });

  /** The panel's upper bounds hold for any server's limits. */
  function checkLimits(limits: { memoryMb: number; cpu: number; pids: number; diskMb: number }): void {
    for (const [k, max] of Object.entries(deps.maxLimits) as Array<['memoryMb' | 'cpu' | 'pids' | 'diskMb', number]>) {
      if (limits[k] > max) throw badRequest('limit_too_high', `${k} ${limits[k]} is above the panel's maximum of ${max}.`);
    }
  }

  /** For removals: a container or network that is gone already is what was wanted. */
  const ignoreGone = (err: unknown): void => {
    if (dockerStatus(err) !== 404) throw err;
  };

  /** Host ports for the template's ports: those asked for (checked free), else the lowest free in the node's range. */
  async function allocatePorts(nodeId: string, range: { min: number; max: number }, publicIp: string, wanted: readonly { name: string; container: number; protocol: 'tcp' | 'udp'; env?: string | undefined }[], asked: Record<string, number>): Promise<ServerPort[]> {
    const used = new Set<string>();
    for (const r of (await db<ServerRow>('servers').where({ node_id: nodeId }).select('ports')) as ServerRow[]) {
      for (const p of JSON.parse(r.ports) as ServerPort[]) used.add(`${p.protocol}/${p.hostPort}`);
    }
    const unknown = Object.keys(asked).filter((k) => !wanted.some((w) => w.name === k));
    if (unknown.length) throw badRequest('unknown_port', `The template has no port named ${unknown.map((u) => `"${u}"`).join(', ')}.`);
    const out: ServerPort[] = [];
    for (const w of wanted) {
      let hostPort = asked[w.name];
      if (hostPort !== undefined) {
        if (hostPort < range.min || hostPort > range.max) throw badRequest('port_out_of_range', `Port ${hostPort} is outside this node's range ${range.min}-${range.max}.`);
        if (used.has(`${w.protocol}/${hostPort}`)) throw conflict('port_in_use', `Port ${hostPort}/${w.protocol} is used by another server on this node.`);
      } else {
        for (let p = range.min; p <= range.max; p += 1) {
          if (!used.has(`${w.protocol}/${p}`)) {
            hostPort = p;
            break;
          }
        }
        if (hostPort === undefined) throw conflict('no_free_port', `No free port is left in this node's range ${range.min}-${range.max}.`);
      }
      used.add(`${w.protocol}/${hostPort}`);
      // A port handed to the program in a variable is the one it listens on inside too (as the host port).
      out.push({ name: w.name, container: w.env ? hostPort : w.container, protocol: w.protocol, hostIp: publicIp, hostPort });
    }
    return out;
  }

  /**
   * The node a server goes to when none is named: every engine asked now (briefly), then the reachable node with the
   * most free capacity that fits its limits and has its ports. None reachable: 503 docker_unreachable; none fits: 409
   * no_capacity naming each node's reason. Returns the node and the decision, for the audit trail.
   */
  async function placeByCapacity(
    wanted: Parameters<typeof allocatePorts>[3],
    limits: { memoryMb: number; cpu: number },
    asked: Record<string, number>,
  ): Promise<{ node: LiveNode; placement: Record<string, unknown> }> {
    const all = await nodes.checkAll();
    if (!all.some((n) => n.health?.reachable)) throw engineUnreachable(null);
    const candidates: PlacementCandidate[] = [];
    for (const n of all) {
      let refused = n.health?.reachable ? null : 'its Docker Engine does not answer';
      if (!refused) {
        try {
          await allocatePorts(n.id, n.portRange, n.publicIp, wanted, asked);
        } catch (err) {
          // A port the template does not have is wrong on every node; a taken or out-of-range port rules out this one.
          if (!(err instanceof AppError) || err.code === 'unknown_port') throw err;
          refused = err.message;
        }
      }
      candidates.push({ id: n.id, name: n.name, capacity: n.capacity, refused });
    }
    const { chosen, refused } = choosePlacement(candidates, limits);
    const others = refused.map((r) => ({ node: r.name, reason: r.reason }));
    if (!chosen) {
      throw new AppError(409, 'no_capacity', `No node can take this server: ${refused.map((r) => `${r.name}: ${r.reason}`).join('; ')}.`, { details: { nodes: others } });
    }
    return { node: await nodes.live(chosen.id), placement: { mode: 'automatic', reason: chosen.reason, refused: others } };
  }

  function dataDirOf(id: string): string {
    return join(deps.dataRoot, id);
  }

  /** The data directory, owned by the container's user (the only host path a container ever sees). */
  function makeDataDir(id: string, user: string): string {
    const dir = dataDirOf(id);
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    chmodSync(dir, 0o750);
    const [uid, gid] = user.split(':').map(Number) as [number, number];
    try {
      chownSync(dir, uid, gid);
    } catch (err) {
      // Only root hands a directory to another account; a panel without root made it its own and runs the container as
      // itself (containerUser), so nothing is lost here.
      logger.warn({ err, dir, user }, 'could not give the data directory to the container user');
    }
    return dir;
  }

  /** Creates the server's container from its row and template (its data directory made if missing). */
  async function makeContainer(docker: Docker, r: ServerRow, template: Awaited<ReturnType<TemplatesService['get']>>): Promise<void> {
    const user = containerUser(template.user);
    const dataDir = makeDataDir(r.id, user);
    const spec = containerSpec({
      server: {
        id: r.id,
        shortId: r.short_id,
        name: r.name,
        memoryMb: r.memory_mb,
        cpu: Number(r.cpu),
        pids: r.pids,
        diskMb: r.disk_mb,
        env: JSON.parse(r.env) as Record<string, string>,
        ports: JSON.parse(r.ports) as ServerPort[],
      },
      template: { ...template, user },
      dataDir,
      networkName: r.network,
      image: template.image,
    });
    const container = await docker.createContainer({ ...spec, name: `aether-${r.short_id}` });
    await db('servers').where({ id: r.id }).update({ container_id: container.id, updated_at: clock.now() });
  }

  /**
   * Stops a running server's container (its stop command, or the stop signal; killed after the template's timeout, or
   * at once with `kill`) and waits for it to exit. Returns the exit code, or null when it was not running.
   */
  async function stopContainer(r: ServerRow, docker: Docker, kill: boolean): Promise<number | null> {
    if (!r.container_id) return null;
    const container = docker.getContainer(r.container_id);
    const template = await templates.get(r.template_id);
    if (!(await container.inspect()).State.Running) return null;
    stopping.add(r.id);
    await setState(r.id, 'stopping');
    if (kill) {
      await container.kill();
    } else if (template.stop.command) {
      await writeStdin(docker, r.container_id, template.stop.command);
      if (!(await waitExit(docker, r.container_id, template.stop.timeoutSeconds * 1000))) {
        logger.warn({ server: r.id }, 'server did not stop after its stop command: killing it');
        await container.kill();
      }
    } else {
      // Docker sends the template's stop signal and kills after the timeout.
      await container.stop({ t: template.stop.timeoutSeconds });
    }
    await waitExit(docker, r.container_id, 10_000);
    // Known here, so the state turns to stopped with its exit code (the exit's event may come later).
    const after = await container.inspect();
    return after.State.Running ? null : after.State.ExitCode;
  }

  /** The columns a stop sets: stopped, when, and with what exit code. */
  const stoppedWith = (exitCode: number | null) => ({ last_exited_at: clock.now(), ...(exitCode === null ? {} : { last_exit_code: exitCode }) });

  /** The data directory's size against the disk limit (measured now, or as measured in the last 30 s). */
  async function diskUse(r: ServerRow, fresh: boolean): Promise<{ usedBytes: number; limitBytes: number; over: boolean }> {
    const usedBytes = await directorySize(dataDirOf(r.id), Date.now(), fresh ? 0 : undefined);
    const limitBytes = r.disk_mb * MIB;
    return { usedBytes, limitBytes, over: usedBytes > limitBytes };
  }

  async function startContainer(r: ServerRow, docker: Docker): Promise<void> {
    if (!r.container_id) throw conflict('no_container', 'This server has no container; reinstall it.');
    // A server over its disk limit would only write more: it starts again once files are deleted or the limit raised.
    const disk = await diskUse(r, true);
    if (disk.over) {
      throw conflict('disk_limit_exceeded', `The server's files take ${mib(disk.usedBytes)} MiB of its ${r.disk_mb} MiB disk limit: delete files or raise the limit, then start it.`);
    }
    // A new run: a stop asked for earlier belongs to the run before (its exit may never have been seen).
    stopping.delete(r.id);
    await setState(r.id, 'starting');
    try {
      await docker.getContainer(r.container_id).start();
    } catch (err) {
      await setState(r.id, 'stopped');
      if (isUnreachable(err) || dockerStatus(err) === undefined) throw err;
      // The engine answered but would not start it: say why, as a 409, never a 500.
      const message = String((err as { json?: { message?: string } }).json?.message ?? (err as Error).message);
      if (/port is already allocated|address already in use/i.test(message)) {
        throw conflict('port_in_use', 'A port of this server is taken by another program on the node; free it or give the server another port.');
      }
      throw conflict('start_failed', `Docker could not start the server: ${message.replace(/\/[^\s:'"]+/g, '…').slice(0, 300)}`);
    }
    await setState(r.id, 'running', { last_started_at: clock.now() });
    await hub.resume(r.id, docker);
  }

  /**
   * Stops every running server whose files outgrew its disk limit (as Wings does: Docker cannot cap a bind mount),
   * gracefully, with an audited event that is also an alert. One check at a time.
   */
  let diskCheck: Promise<void> | null = null;
  function checkDisks(): Promise<void> {
    diskCheck ??= (async () => {
      const rows = (await db<ServerRow>('servers').where({ state: 'running' })) as ServerRow[];
      for (const r of rows) {
        // Measured now: the check runs every servers.diskCheckSeconds, and that is how late a full disk may be seen
        // (the figures' cache, up to 30 s old, would make it later).
        const disk = await diskUse(r, true);
        if (!disk.over) continue;
        try {
          await setState(r.id, 'stopped', stoppedWith(await nodes.call(r.node_id, (docker) => stopContainer(r, docker, false))));
          const reason = `its files take ${mib(disk.usedBytes)} MiB of its ${r.disk_mb} MiB disk limit`;
          await record(system, 'server.disk_exceeded', r, { usedBytes: disk.usedBytes, limitBytes: disk.limitBytes, reason }, 'failure');
        } catch (err) {
          logger.error({ err, server: r.id }, 'stopping a server over its disk limit failed; tried again on the next check');
        }
      }
    })()
      .catch((err: unknown) => logger.error({ err }, 'checking the servers\' disk use failed'))
      .finally(() => {
        diskCheck = null;
      });
    return diskCheck;
  }
  let diskTimer: NodeJS.Timeout | null = null;

  const exits = createContainerExits({
    clock,
    logger,
    nodes,
    containerOf: async (serverId) => ((await db<ServerRow>('servers').where({ id: serverId }).first()) as ServerRow | undefined)?.container_id ?? null,
    containersOn: async (nodeId) =>
      ((await db<ServerRow>('servers').where({ node_id: nodeId }).whereNotNull('container_id').select('id', 'container_id')) as ServerRow[]).map((r) => ({ serverId: r.id, containerId: r.container_id! })),
    onExit,
  });
  const nodeStates = createNodeStates({ db, audit, logger, nodes, setStateFrom, watch: exits.follow });
  const unfollowNodes = nodes.onHealthChange(nodeStates.onNodeHealth);

  /** A server's container exited: a stop the panel asked for, or else a crash (restarted if its policy says so). */
  async function onExit({ serverId, exitCode, oomKilled: oom }: ContainerExit): Promise<void> {
    const r = (await db<ServerRow>('servers').where({ id: serverId }).first()) as ServerRow | undefined;
    if (!r) return;
    if (stopping.delete(serverId)) {
      await setState(r.id, 'stopped', { last_exit_code: exitCode, last_exited_at: clock.now() });
      return;
    }
    // Nobody asked it to stop: a crash.
    const crashes = r.crash_count + 1;
    await setState(r.id, 'crashed', { last_exit_code: exitCode, last_exited_at: clock.now(), crash_count: crashes });
    await record(system, 'server.crashed', r, { exitCode, oomKilled: oom, reason: oom ? 'killed for using more memory than its limit' : `exited with code ${exitCode}`, crashes }, 'failure');
    if (r.restart_policy === 'on-crash') {
      const delay = Math.min(deps.restartMaxMs, deps.restartBaseMs * 2 ** Math.min(20, crashes - 1));
      const timer = setTimeout(() => {
        restartTimers.delete(r.id);
        void (async () => {
          const now = (await db<ServerRow>('servers').where({ id: r.id }).first()) as ServerRow | undefined;
          if (!now || now.state !== 'crashed' || now.suspended_at !== null) return;
          const node = await nodes.live(now.node_id);
          await startContainer(now, node.docker);
          await record(system, 'server.restarted', now, { after: 'crash', delayMs: delay, crashes });
        })().catch((err: unknown) => logger.error({ err, server: r.id }, 'restarting a crashed server failed'));
      }, delay);
      timer.unref();
      restartTimers.set(r.id, timer);
    }
  }

  return {
    async list(caller: Caller): Promise<PublicServer[]> {
      const rows = (await db<ServerRow>('servers').orderBy('name')) as ServerRow[];
      // A user sees only the servers they hold a scope on.
      return rows.filter((r) => can(caller.actor, 'server.view', r.id)).map(present);
    },
    async get(id: string): Promise<PublicServer> {
      return present(await row(id));
    },
    async create(caller: Caller, input: NewServer): Promise<PublicServer> {
      const template = await templates.get(input.template);
      const limits = { ...template.limits, ...input.limits };
      checkLimits(limits);
      const { node, placement } =
        input.node === null
          ? await placeByCapacity(template.ports, limits, input.ports ?? {})
          : { node: await nodes.live(input.node), placement: { mode: 'named', reason: 'the node named in the request' } };
      const env = input.env ?? {};
      const id = newId();
      const shortId = id.replace(/-/g, '').slice(0, 8);
      const now = clock.now();
      const networkName = template.network === 'none' ? null : `aether-${shortId}`;
      const base: ServerRow = {
        id,
        short_id: shortId,
        name: input.name,
        template_id: template.id,
        node_id: node.id,
        owner_id: input.ownerId,
        memory_mb: limits.memoryMb,
        cpu: limits.cpu,
        pids: limits.pids,
        disk_mb: limits.diskMb,
        env: JSON.stringify(env),
        ports: '[]',
        state: 'stopped',
        container_id: null,
        network: networkName,
        restart_policy: input.restartPolicy ?? 'never',
        crash_count: 0,
        last_exit_code: null,
        last_started_at: null,
        last_exited_at: null,
        created_at: now,
        updated_at: now,
        suspended_at: null,
        suspended_by: null,
        suspended_reason: null,
      };
      // Ports chosen and the row written under a lock on the node's ports, so servers created at once (here or on
      // another replica) never get the same one.
      const ports = await withClusterLock(db, `aether.ports.${node.id}`, { waitSeconds: 30, busy: () => new AppError(503, 'busy', 'Another server is being created on this node; try again shortly.') }, async () => {
        const chosen = await allocatePorts(node.id, node.portRange, node.publicIp, template.ports, input.ports ?? {});
        // The server's own values are kept; the full environment (defaults, port variables) is built from them, here
        // to refuse bad values before anything is made, and again for the container.
        resolveEnv(template, env, chosen);
        base.ports = JSON.stringify(chosen);
        await db('servers').insert(base);
        return chosen;
      });
      try {
        await nodes.call(node.id, async (docker) => {
          await ensureImage(docker, template.image, node.name);
          if (networkName) {
            // Its own bridge, on a subnet of servers.networkPool: servers do not see each other.
            await createServerNetwork(docker, { name: networkName, labels: { [LABEL_SERVER]: id, 'io.aether.managed': 'true' }, pool: deps.networkPool, nodeName: node.name });
          }
          await makeContainer(docker, base, template);
        });
      } catch (err) {
        // Nothing half-made stays behind: the row, the network and the directory go.
        await db('servers').where({ id }).delete();
        await nodes
          .call(node.id, async (docker) => {
            if (networkName) await docker.getNetwork(networkName).remove().catch(() => undefined);
          })
          .catch(() => undefined);
        rmSync(dataDirOf(id), { recursive: true, force: true });
        throw err;
      }
      exits.follow(node.id);
      await record(caller, 'server.created', base, { template: template.id, node: node.id, nodeName: node.name, placement, limits, ports: ports.map((p) => `${p.hostIp}:${p.hostPort}/${p.protocol}`) });
      return present(await row(id));
    },
    async power(caller: Caller, id: string, action: PowerAction): Promise<PublicServer> {
      const r = await row(id);
      if (action === 'start' || action === 'restart') refuseIfSuspended(r);
      const timer = restartTimers.get(id);
      if (timer) {
        clearTimeout(timer);
        restartTimers.delete(id);
      }
      await nodes.call(r.node_id, async (docker) => {
        if (action === 'start') {
          const info = r.container_id ? await docker.getContainer(r.container_id).inspect() : null;
          if (info?.State.Running) throw conflict('already_running', 'The server is running already.');
          await startContainer(r, docker);
        } else if (action === 'stop' || action === 'kill') {
          await setState(r.id, 'stopped', stoppedWith(await stopContainer(r, docker, action === 'kill')));
        } else {
          await stopContainer(r, docker, false);
          await startContainer(await row(id), docker);
        }
      });
      if (action === 'start' || action === 'restart') await db('servers').where({ id }).update({ crash_count: 0 });
      await record(caller, `server.${action === 'start' ? 'started' : action === 'stop' ? 'stopped' : action === 'kill' ? 'killed' : 'restarted'}`, r);
      return present(await row(id));
    },
    /**
     * Changes a server. Limits take effect at once on a running container (docker update); a new environment or
     * restart policy is kept, and the environment reaches the container with the next reinstall.
     */
    async update(caller: Caller, id: string, patch: { name?: string; limits?: Partial<{ memoryMb: number; cpu: number; pids: number; diskMb: number }>; env?: Record<string, string>; restartPolicy?: 'never' | 'on-crash' }): Promise<PublicServer> {
      const r = await row(id);
      const template = await templates.get(r.template_id);
      const limits = { memoryMb: r.memory_mb, cpu: Number(r.cpu), pids: r.pids, diskMb: r.disk_mb, ...patch.limits };
      checkLimits(limits);
      if (patch.env) resolveEnv(template, patch.env, JSON.parse(r.ports) as ServerPort[]);
      const set: Record<string, unknown> = { updated_at: clock.now() };
      if (patch.name !== undefined) set.name = patch.name;
      if (patch.restartPolicy !== undefined) set.restart_policy = patch.restartPolicy;
      if (patch.env !== undefined) set.env = JSON.stringify(patch.env);
      if (patch.limits) Object.assign(set, { memory_mb: limits.memoryMb, cpu: limits.cpu, pids: limits.pids, disk_mb: limits.diskMb });
      if (patch.limits && r.container_id) {
        await nodes.call(r.node_id, async (docker) => {
          const bytes = limits.memoryMb * 1024 * 1024;
          await docker.getContainer(r.container_id!).update({ Memory: bytes, MemorySwap: bytes, NanoCpus: Math.round(limits.cpu * 1e9), PidsLimit: limits.pids });
        });
      }
      await db('servers').where({ id }).update(set);
      await record(caller, 'server.updated', r, { fields: Object.keys(patch).filter((k) => (patch as Record<string, unknown>)[k] !== undefined), ...(patch.limits ? { limits } : {}) });
      return present(await row(id));
    },
    /** A new container from the template as it is now and the server's settings; the data directory stays. */
    async reinstall(caller: Caller, id: string): Promise<PublicServer> {
      const r = await row(id);
      const template = await templates.get(r.template_id);
      resolveEnv(template, JSON.parse(r.env) as Record<string, string>, JSON.parse(r.ports) as ServerPort[]);
      await nodes.call(r.node_id, async (docker) => {
        if (r.container_id) {
          stopping.add(r.id);
          await docker
            .getContainer(r.container_id)
            .remove({ force: true })
            .catch(ignoreGone);
        }
        hub.forget(r.id);
        await ensureImage(docker, template.image, r.node_id);
        await makeContainer(docker, r, template);
      });
      await setState(r.id, 'stopped', { crash_count: 0 });
      await record(caller, 'server.reinstalled', r, { template: template.id, image: template.image });
      return present(await row(id));
    },
    async remove(caller: Caller, id: string, opts: { keepData: boolean }): Promise<void> {
      const r = await row(id);
      await nodes.call(r.node_id, async (docker) => {
        if (r.container_id) {
          stopping.add(r.id);
          await docker
            .getContainer(r.container_id)
            .remove({ force: true })
            .catch(ignoreGone);
        }
        if (r.network) {
          await docker
            .getNetwork(r.network)
            .remove()
            .catch(ignoreGone);
        }
      });
      hub.forget(id);
      exits.forget(id);
      await db('servers').where({ id }).delete();
      (await suspendedIds()).delete(id);
      if (!opts.keepData) rmSync(dataDirOf(id), { recursive: true, force: true });
      await record(caller, 'server.deleted', r, { keepData: opts.keepData });
    },
    /**
     * Suspends a server: it is stopped (its stop command, then a kill after the template's timeout), cannot be started,
     * and everyone but those who may suspend servers loses its files, console, SFTP and power until it is unsuspended.
     */
    async suspend(caller: Caller, id: string, reason: string): Promise<PublicServer> {
      const r = await row(id);
      if (r.suspended_at !== null) throw conflict('already_suspended', 'This server is suspended already.');
      // Suspended first, so nothing (a crash restart, a start racing this) brings it up again while it stops.
      await db('servers').where({ id }).update({ suspended_at: clock.now(), suspended_by: caller.actor?.name ?? null, suspended_reason: reason, updated_at: clock.now() });
      (await suspendedIds()).add(id);
      const timer = restartTimers.get(id);
      if (timer) {
        clearTimeout(timer);
        restartTimers.delete(id);
      }
      let stopped = false;
      if (r.container_id) {
        await nodes.call(r.node_id, async (docker) => {
          const info = await docker
            .getContainer(r.container_id!)
            .inspect()
            .catch(() => null);
          if (!info?.State.Running) return;
          await setState(r.id, 'stopped', stoppedWith(await stopContainer(r, docker, false)));
          stopped = true;
        });
      }
      await record(caller, 'server.suspended', r, { reason, stopped });
      return present(await row(id));
    },
    async unsuspend(caller: Caller, id: string): Promise<PublicServer> {
      const r = await row(id);
      if (r.suspended_at === null) throw conflict('not_suspended', 'This server is not suspended.');
      await db('servers').where({ id }).update({ suspended_at: null, suspended_by: null, suspended_reason: null, updated_at: clock.now() });
      (await suspendedIds()).delete(id);
      await record(caller, 'server.unsuspended', r, { wasSuspendedFor: r.suspended_reason });
      return present(await row(id));
    },
    /** Whether the server is suspended for this actor: suspended, and the actor may not suspend servers. */
    async suspendedFor(actor: Actor | null, id: string): Promise<boolean> {
      return (await suspendedIds()).has(id) && !can(actor, SUSPEND_SCOPE);
    },
    /** Sends one line to the server's stdin (its console). */
    async send(caller: Caller, id: string, line: string): Promise<void> {
      const r = await row(id);
      if (!r.container_id) throw conflict('no_container', 'This server has no container.');
      await nodes.call(r.node_id, async (docker) => {
        const info = await docker.getContainer(r.container_id!).inspect();
        if (!info.State.Running) throw conflict('not_running', 'The server is not running.');
        await writeStdin(docker, r.container_id!, line);
      });
      await record(caller, 'server.console.command', r, { command: line.slice(0, 200) });
    },
    /**
     * The state of every server as Docker has it (the panel may have been down while containers ran or died): every
     * engine asked at once and briefly, so a node that does not answer holds nothing up (its servers show unknown).
     * From then on every node's health is followed: a node that stops answering or answers again is handled at once.
     */
    async reconcile(): Promise<{ checked: number; changed: number }> {
      nodes.follow();
      const all = await nodes.checkAll();
      const results = await Promise.all(
        all.map(async (n) => {
          const result = await nodeStates.reconcileNode(n.id);
          if (n.health) await nodeStates.recordAtStart(n.id, n.health, result);
          return result;
        }),
      );
      return results.reduce((a, b) => ({ checked: a.checked + b.checked, changed: a.changed + b.changed }), { checked: 0, changed: 0 });
    },
    /** CPU, memory, network and data-directory use now. */
    async stats(id: string): Promise<ServerStats> {
      const r = await row(id);
      return nodes.call(r.node_id, (docker) => serverStats(docker, r.container_id, dataDirOf(id), { memoryMb: r.memory_mb, diskMb: r.disk_mb }));
    },
    /**
     * Hands a restored data directory (everything in it, links not followed) to the container's user, as the panel
     * does when it makes one. Returns how many entries changed owner (0 when the panel is not root).
     */
    async adoptDataDir(id: string): Promise<number> {
      const { root, owner } = await this.fileArea(id);
      if (!owner) return 0;
      let n = 0;
      const walk = (path: string) => {
        lchownSync(path, owner.uid, owner.gid);
        n += 1;
        const st = lstatSync(path);
        if (st.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
      };
      walk(root);
      return n;
    },
    /**
     * Where a server's files live for the file manager and SFTP: its data directory, the owner new files get (the
     * container's user) and its disk limit. 404 for a server that does not exist.
     */
    async fileArea(id: string): Promise<{ root: string; owner: { uid: number; gid: number } | null; diskLimitBytes: number }> {
      const r = await row(id);
      const template = await templates.get(r.template_id).catch(() => null);
      const [uid, gid] = (template?.user ?? '').split(':').map(Number);
      // Files are handed to the container's user only when the panel may (running as root).
      const owner = process.getuid?.() === 0 && Number.isInteger(uid) && Number.isInteger(gid) ? { uid: uid!, gid: gid! } : null;
      return { root: dataDirOf(id), owner, diskLimitBytes: r.disk_mb * MIB };
    },
    /** A server by the short id SFTP user names carry (null: none). */
    async byShortId(shortId: string): Promise<{ id: string; name: string } | null> {
      const r = (await db<ServerRow>('servers').where({ short_id: shortId }).first('id', 'name')) as Pick<ServerRow, 'id' | 'name'> | undefined;
      return r ?? null;
    },
    /** The servers the panel last saw running. */
    async running(): Promise<Array<{ id: string; name: string }>> {
      return (await db('servers').where({ state: 'running' }).orderBy('id').select('id', 'name')) as Array<{ id: string; name: string }>;
    },
    /** A running server's counters for its history (null: not running, or gone). */
    async readings(id: string): Promise<ServerReadings | null> {
      const r = (await db('servers').where({ id }).first()) as ServerRow | undefined;
      if (!r?.container_id) return null;
      return nodes.call(r.node_id, (docker) => serverReadings(docker, r.container_id!, dataDirOf(id), { memoryMb: r.memory_mb, diskMb: r.disk_mb, cpu: Number(r.cpu) }));
    },
    /** Follows a server's console output: the recent lines, then onData for every new piece. */
    async watchConsole(id: string, onData: (data: string) => void): Promise<{ history: string[]; stop: () => void }> {
      const r = await row(id);
      if (!r.container_id) throw conflict('no_container', 'This server has no container.');
      return nodes.call(r.node_id, (docker) => hub.watch(id, r.container_id!, docker, onData));
    },
    /** Every state change of every server (the consoles tell their watchers). */
    onState(listener: (serverId: string, state: ServerState) => void): () => void {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    /** Checks the running servers' disk use every intervalMs (until stop). */
    watchDisks(intervalMs: number): void {
      if (diskTimer) clearInterval(diskTimer);
      diskTimer = setInterval(() => void checkDisks(), intervalMs);
      diskTimer.unref();
    },
    checkDisks,
    /** Settles once every node that started or stopped answering so far has been handled (its servers, its event). */
    nodeChangesHandled(): Promise<void> {
      return nodeStates.idle();
    },
    stop(): void {
      unfollowNodes();
      if (diskTimer) clearInterval(diskTimer);
      diskTimer = null;
      hub.stop();
      exits.stop();
      for (const t of restartTimers.values()) clearTimeout(t);
      restartTimers.clear();
    },
    dataDirOf,
  };
}
