// What a checklist item is, what each check is given, and the report the CLI, the API and the page show.
import type { LoadedConfig } from '../config/index.ts';
import type { Db } from '../db/index.ts';
import type { HostProbe } from './host-probe.ts';

export type CheckStatus = 'pass' | 'warn' | 'fail';

export type CheckItem = {
  /** Stable, kebab-case: scripts may rely on it. */
  id: string;
  title: string;
  status: CheckStatus;
  /** What was found, with numbers, names and dates. */
  reason: string;
  /** How to fix it (commands, or the panel page), null when there is nothing to do. */
  fix: string | null;
  details?: Record<string, unknown>;
};

export type CheckOutcome = Omit<CheckItem, 'id' | 'title'>;

export type ChecklistReport = {
  version: string;
  checkedAt: string;
  summary: Record<CheckStatus, number>;
  items: CheckItem[];
};

/** Where the checklist runs: inside the panel's process (the API), or from the command line beside it. */
export type CheckRuntime = { kind: 'panel'; monitorRules: number } | { kind: 'cli' };

export type CheckContext = {
  config: LoadedConfig;
  db: Db;
  probe: HostProbe;
  /** Milliseconds since the epoch, fixed for one run. */
  now: number;
  version: string;
  runtime: CheckRuntime;
  /** How backups are encrypted as far as this process knows (the passphrase lives in the panel's environment). */
  backupEncryption: 'recipients' | 'passphrase' | null;
};

export type Check = {
  id: string;
  title: string;
  run(ctx: CheckContext): Promise<CheckOutcome>;
};

export const pass = (reason: string, details?: Record<string, unknown>): CheckOutcome => ({ status: 'pass', reason, fix: null, ...(details ? { details } : {}) });
export const warn = (reason: string, fix: string | null, details?: Record<string, unknown>): CheckOutcome => ({ status: 'warn', reason, fix, ...(details ? { details } : {}) });
export const fail = (reason: string, fix: string | null, details?: Record<string, unknown>): CheckOutcome => ({ status: 'fail', reason, fix, ...(details ? { details } : {}) });

/** The worse of statuses: fail over warn over pass. */
export const worst = (statuses: readonly CheckStatus[]): CheckStatus => (statuses.includes('fail') ? 'fail' : statuses.includes('warn') ? 'warn' : 'pass');

export const DAY_MS = 86_400_000;
export const days = (ms: number): number => Math.floor(ms / DAY_MS);
export const isoDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
