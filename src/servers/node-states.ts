// Servers' states following their node's engine: read back from Docker (at start, and when a node answers again), shown
// unknown while it does not answer; each time a node stops or starts answering is audited once, by one panel however
// many replicas check it.
import type { AuditService } from '../audit/index.ts';
import { auditFrom, systemCaller } from '../auth/caller.ts';
import type { Db } from '../db/index.ts';
import type { Logger } from '../shared/logger.ts';
import { isEngineUnreachable } from './docker.ts';
import type { NodeHealth, NodesService } from './nodes.service.ts';
import type { ServerState } from './servers.service.ts';

/** The label every server's container and network carry: the server's id. */
export const LABEL_SERVER = 'io.aether.server';

type StateRow = { id: string; state: ServerState; container_id: string | null };

export function createNodeStates(deps: {
  db: Db;
  audit: AuditService;
  logger: Logger;
  nodes: NodesService;
  /** Sets a server's state only if it is still `from` (a power action that changed it meanwhile wins). */
  setStateFrom: (id: string, from: ServerState, to: ServerState) => Promise<boolean>;
  /** Follows the node's container events (crashes). */
  watch: (nodeId: string) => void;
}) {
  const { db, audit, logger, nodes, setStateFrom } = deps;
  const system = systemCaller('nodes');

  const rowsOf = async (nodeId: string) => (await db('servers').where({ node_id: nodeId }).select('id', 'state', 'container_id')) as StateRow[];

  /** The node's engine does not answer: what its servers do is unknown until it answers again. */
  async function markUnknown(rows: StateRow[]): Promise<number> {
    let changed = 0;
    for (const r of rows) if (r.state !== 'unknown' && (await setStateFrom(r.id, r.state, 'unknown'))) changed += 1;
    return changed;
  }

  /** A node's servers' state as its engine has it; an engine that does not answer leaves them unknown. */
  async function reconcileNode(nodeId: string): Promise<{ checked: number; changed: number }> {
    const rows = await rowsOf(nodeId);
    if (rows.length === 0) return { checked: 0, changed: 0 };
    let running: Map<string, boolean>;
    try {
      const containers = await nodes.call(nodeId, (docker) => docker.listContainers({ all: true, filters: { label: [LABEL_SERVER] } }));
      running = new Map(containers.map((c) => [c.Labels[LABEL_SERVER] ?? '', c.State === 'running']));
    } catch (err) {
      if (!isEngineUnreachable(err)) throw err;
      return { checked: 0, changed: await markUnknown(rows) };
    }
    let changed = 0;
    for (const r of rows) {
      const isRunning = running.get(r.id);
      const state: ServerState = isRunning === undefined ? (r.container_id ? 'unknown' : 'stopped') : isRunning ? 'running' : r.state === 'crashed' ? 'crashed' : 'stopped';
      if (state !== r.state && (await setStateFrom(r.id, r.state, state))) changed += 1;
    }
    deps.watch(nodeId);
    return { checked: rows.length, changed };
  }

  /** Health changes handled one after another, so a node that flaps ends in the state it was last seen in. */
  let queue: Promise<void> = Promise.resolve();

  /**
   * Records a change of the node's answer for every panel on the database, and audits it if this panel is the one
   * that recorded it (replicas checking the same node each see the change; one of them audits it).
   */
  async function recordChange(node: { id: string; name: string }, health: NodeHealth, details: { servers: number; changed: number; atStart?: true }): Promise<void> {
    const recorded = (await db('nodes').where({ id: node.id, reachable: !health.reachable }).update({ reachable: health.reachable })) > 0;
    if (!recorded) return;
    const target = { type: 'node', id: node.id, name: node.name };
    const { servers, changed, atStart } = details;
    const when = atStart ? { atStart } : {};
    if (health.reachable) await audit.record({ type: 'node.reachable', ...auditFrom(system), target, outcome: 'success', details: { servers, statesRestored: changed, ...when } });
    else await audit.record({ type: 'node.unreachable', ...auditFrom(system), target, outcome: 'failure', details: { reason: health.error ?? 'its Docker Engine does not answer', servers, markedUnknown: changed, ...when } });
  }

  /** A node stopped or started answering: its servers shown unknown, or their real state read back; audited once. */
  function onNodeHealth(nodeId: string, now: NodeHealth): void {
    queue = queue
      .then(async () => {
        const node = await nodes.get(nodeId).catch(() => null);
        if (!node) return;
        const rows = await rowsOf(nodeId);
        // Handled late (the queue was busy) after the node answered again: its servers are not marked unknown then;
        // the answer that came since is handled next and reads their real state.
        const changed = now.reachable ? (await reconcileNode(nodeId)).changed : node.health?.reachable ? 0 : await markUnknown(rows);
        await recordChange(node, now, { servers: rows.length, changed });
      })
      .catch((err: unknown) => logger.error({ err, node: nodeId }, 'handling a node that stopped or started answering failed'));
  }

  /**
   * At start, after the node's servers were read back: an answer unlike the one last recorded (it changed while no
   * panel ran, or the node was silent from the start) is audited as any change is, so its alert is raised or resolved.
   */
  async function recordAtStart(nodeId: string, health: NodeHealth, result: { changed: number }): Promise<void> {
    const node = await nodes.get(nodeId).catch(() => null);
    if (!node) return;
    await recordChange(node, health, { servers: (await rowsOf(nodeId)).length, changed: result.changed, atStart: true });
  }

  return {
    reconcileNode,
    recordAtStart,
    onNodeHealth,
    /** Settles once every change told so far is handled. */
    idle: (): Promise<void> => queue,
  };
}
