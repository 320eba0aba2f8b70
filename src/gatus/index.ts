// Gatus, the uptime page beside the panel: its configuration made from the panel's state.
export { bearerMatches, createGatusReceiver, endpointState, endpointUptime, type Uptime, gatusAlertSchema, type GatusAlert, type GatusReceiver } from './receiver.ts';
export { checkGatusConfig, gatusConfig, PANEL_ENDPOINTS, gatusKey, serverEndpointName, gatusText, renderGatusConfig, writeGatusConfig, type GatusConfig, type GatusEndpoint, type GatusInputs } from './config.ts';
export { createStatusPageAccess, statusPageSecret, STATUS_PAGE_CLIENT_ID, STATUS_PAGE_SECRET_ENV, GATUS_CALLBACK_PATH, type StatusPageAccess, type StatusPageAccessService } from './status-access.ts';
