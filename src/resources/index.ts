// Resource monitoring: host and per-server samplers, bounded histories, threshold rules and their alerts.
import { fileURLToPath } from 'node:url';

export { createResourcesService, type ResourcesService } from './resources.service.ts';
export { loadResourceRules, type ResourceRule } from './rules/loader.ts';
export { METRICS, type Metric } from './rules/schema.ts';
export type { History, HistoryQuery, Resolution } from './history.store.ts';
export type { DiskUsage, ResourceSample, SeriesName } from './sample.ts';
export { SERIES } from './sample.ts';
export { SERVER_SERIES, type ServerHistory, type ServerSample, type ServerSeriesName, type ServerSource } from './server-history.ts';
export type { Sampler } from './sampler.ts';
export type { ResourceAlertSink, RuleStatus, TargetStatus } from './thresholds.ts';

/** The resource rules shipped with the panel (a folder of rules/, whose own *.yml are the security monitor's). */
export const SHIPPED_RESOURCE_RULES_DIR = fileURLToPath(new URL('../../rules/resources', import.meta.url));
