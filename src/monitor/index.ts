// The security monitor: rules over the panel's events and log files, detections, bans, and the offline analyzer.
import { fileURLToPath } from 'node:url';

export { createBansService, type Ban, type BansService } from './bans.service.ts';
export { exportBans } from './ban-export.ts';
export type { Detection } from './engine/engine.ts';
export type { HttpInfo, MonitorEvent } from './event.ts';
export { createMonitorService, type MonitorService, type StoredDetection } from './monitor.service.ts';
export { loadRuleDir, loadRules, RuleLoadError, type LoadedRule } from './rules/loader.ts';
export { parseDuration } from './duration.ts';

/** The rules shipped with the panel. */
export const SHIPPED_RULES_DIR = fileURLToPath(new URL('../../rules', import.meta.url));
