// Servers in hardened containers: nodes (Docker Engines), templates, and the servers' lifecycle.
export { createNodesService, LOCAL_NODE_ID, type NodesService, type PublicNode } from './nodes.service.ts';
export { createServersService, SUSPEND_SCOPE, type ServersService, type PublicServer, type PowerAction, type NewServer } from './servers.service.ts';
export { createTemplatesService, type TemplatesService, type TemplateInfo } from './templates.service.ts';
export { createConsoleTickets, TICKET_TTL_MS, type ConsoleTickets } from './console-tickets.ts';
export type { ServerStats } from './stats.ts';
export { directorySize } from './stats.ts';
