// The checklist inside the panel: run on demand, the report kept for a minute (the host commands take seconds), and
// callers arriving while it runs share that run.
import type { LoadedConfig } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from '../shared/clock.ts';
import { runChecklist } from './checklist.ts';
import type { CheckContext, ChecklistReport } from './check.types.ts';
import type { HostProbe } from './host-probe.ts';

export type ChecklistService = ReturnType<typeof createChecklistService>;

const CACHE_MS = 60_000;

export function createChecklistService(deps: {
  config: LoadedConfig;
  db: Db;
  clock: Clock;
  probe: HostProbe;
  version: string;
  /** Enabled detection rules, as the running monitor holds them. */
  monitorRules: () => number;
  backupEncryption: () => CheckContext['backupEncryption'];
}) {
  let cached: { report: ChecklistReport; at: number } | null = null;
  let running: Promise<ChecklistReport> | null = null;

  function run(): Promise<ChecklistReport> {
    running ??= runChecklist({
      config: deps.config,
      db: deps.db,
      probe: deps.probe,
      now: deps.clock.now(),
      version: deps.version,
      runtime: { kind: 'panel', monitorRules: deps.monitorRules() },
      backupEncryption: deps.backupEncryption(),
    })
      .then((report) => {
        cached = { report, at: deps.clock.now() };
        return report;
      })
      .finally(() => {
        running = null;
      });
    return running;
  }

  return {
    /** The last report if younger than a minute (unless refresh), else a new run. */
    async report(opts: { refresh?: boolean } = {}): Promise<ChecklistReport> {
      if (!opts.refresh && cached && deps.clock.now() - cached.at < CACHE_MS) return cached.report;
      return run();
    },
  };
}
