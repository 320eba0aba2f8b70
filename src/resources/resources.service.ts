// Resource monitoring: the host and every running server sampled every interval (never two rounds at once), stored in
// their histories; the host's samples evaluated by the threshold rules.
import { hostname as osHostname } from 'node:os';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import { createAlertStatesStore } from './alert-states.store.ts';
import { createHistoryStore, type HistoryQuery } from './history.store.ts';
import type { ResourceRule } from './rules/loader.ts';
import { createSampler, type Sampler } from './sampler.ts';
import { createServerHistoryStore, createServerSampler, type ServerSample, type ServerSource } from './server-history.ts';
import type { ResourceSample } from './sample.ts';
import { createThresholds, type FiringAlert, type ResourceAlertSink } from './thresholds.ts';

const HOUR = 3_600_000;

/**
 * When the next sample is due: half an interval past a multiple of it, so each sample lands well inside its history slot
 * whatever the timer's jitter.
 */
export function nextRunAt(now: number, intervalMs: number): number {
  const half = intervalMs / 2;
  return Math.floor((now - half) / intervalMs) * intervalMs + intervalMs + half;
}

export type ResourcesService = ReturnType<typeof createResourcesService>;

export function createResourcesService(deps: {
  db: Db;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
  rules: readonly ResourceRule[];
  alerts: ResourceAlertSink;
  /** Default: the host, read through systeminformation. */
  sampler?: Sampler;
  /** Named in alert titles. Default: os.hostname(). */
  hostname?: string;
  /** The servers whose containers are sampled with the host; none: the host only. */
  servers?: ServerSource;
}) {
  const { clock, logger, intervalMs } = deps;
  const hostname = deps.hostname ?? osHostname();
  const sampler = deps.sampler ?? createSampler({ clock });
  const history = createHistoryStore({ db: deps.db, clock, intervalMs });
  const alertStates = createAlertStatesStore(deps.db);
  const thresholds = createThresholds({
    rules: deps.rules,
    sink: deps.alerts,
    intervalMs,
    hostname,
    onError: (err, dedupKey) => logger.error({ err, dedupKey }, 'resource alert not delivered; tried again on the next sample'),
  });

  const serverHistory = createServerHistoryStore({ db: deps.db, clock, intervalMs });
  // A server that cannot be read (its engine away, stopped meanwhile) is left out of a round; node health reports engines.
  const serverSampler = deps.servers ? createServerSampler({ clock, source: deps.servers, onError: (err, serverId) => logger.debug({ err, serverId }, 'reading a server failed; left out of this sample') }) : null;
  let forgotAt = -Infinity;

  let latest: ResourceSample | null = null;
  let stored: FiringAlert[] = [];
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;

  async function syncAlertStates(): Promise<void> {
    const firing = thresholds.firing();
    await alertStates.sync(firing, stored);
    stored = firing;
  }

  /** Every running server's figures into its history; once an hour, the history of deleted servers goes. */
  async function sampleServers(): Promise<ServerSample[]> {
    if (!serverSampler) return [];
    let samples: ServerSample[];
    try {
      samples = await serverSampler.sample();
    } catch (err) {
      logger.error({ err }, 'sampling the servers failed');
      return [];
    }
    try {
      await serverHistory.add(samples);
      if (clock.now() - forgotAt >= HOUR) {
        forgotAt = clock.now();
        await serverHistory.forgetDeleted();
      }
    } catch (err) {
      logger.error({ err }, 'storing the server samples failed');
    }
    return samples;
  }

  async function sampleHost(): Promise<ResourceSample | null> {
    let sample: ResourceSample;
    try {
      sample = await sampler.sample();
    } catch (err) {
      logger.warn({ err }, 'sampling the host failed; sample skipped');
      return null;
    }
    latest = sample;
    try {
      await history.add([sample]);
    } catch (err) {
      logger.error({ err }, 'storing a resource sample failed');
    }
    return sample;
  }

  /** One round: the host and the servers read at once, stored, then the rules evaluated on both (not without the host's sample). */
  async function run(): Promise<void> {
    const [sample, servers] = await Promise.all([sampleHost(), sampleServers()]);
    if (!sample) return;
    try {
      await thresholds.observe(sample, servers);
      await syncAlertStates();
    } catch (err) {
      logger.error({ err }, 'evaluating the resource thresholds failed');
    }
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(
      () => {
        timer = null;
        void tick().then(schedule);
      },
      Math.max(0, nextRunAt(clock.now(), intervalMs) - clock.now()),
    );
    timer.unref();
  }

  /** Takes one sample now; while one is being taken, waits for it instead (samples never overlap). Never rejects. */
  function tick(): Promise<void> {
    inFlight ??= run().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return {
    hostname,
    intervalMs,
    /** Restores the alerts firing before a restart (resolving those whose rule is gone), then samples every interval. */
    async start(): Promise<void> {
      if (running) return;
      stored = await alertStates.list();
      for (const orphan of thresholds.restore(stored, clock.now())) {
        await deps.alerts.resolve(orphan.dedupKey, `Rule ${orphan.rule} was removed or turned off`).catch((err: unknown) => logger.error({ err, dedupKey: orphan.dedupKey }, 'resolving a resource alert failed'));
      }
      await syncAlertStates();
      running = true;
      void tick().then(schedule);
    },
    /** Stops sampling; resolves once a sample being taken is stored and evaluated. */
    async stop(): Promise<void> {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
    running: () => running,
    tick,
    latest: () => latest,
    history: (q: HistoryQuery) => history.query(q),
    serverHistory: (serverId: string, q: HistoryQuery) => serverHistory.query(serverId, q),
    serverCounts: (serverId?: string) => serverHistory.counts(serverId),
    /** Every rule with its state (ok, pending, firing), since when, and the last value, per target. */
    rules: () => thresholds.status(),
    counts: () => history.counts(),
  };
}
