// API calls of servers: list, detail, create, power actions, suspension, live figures and history, delete, templates,
// nodes and console tickets.
import { apiRequest } from './client.ts';
import type { RangeId } from './resources.api.ts';
import type { BackupJob } from './backups.api.ts';
import type { ConsoleTicket, DockerNode, NewServerInput, PowerAction, Server, ServerHistory, ServerStats, Template } from './servers.types.ts';

const serverPath = (id: string) => `/servers/${encodeURIComponent(id)}`;

export async function listServers(): Promise<Server[]> {
  const res = await apiRequest<{ items: Server[] }>('GET', '/servers');
  return res.items;
}

export async function getServer(id: string): Promise<Server> {
  const res = await apiRequest<{ server: Server }>('GET', serverPath(id));
  return res.server;
}

export async function createServer(input: NewServerInput): Promise<Server> {
  const res = await apiRequest<{ server: Server }>('POST', '/servers', { body: input });
  return res.server;
}

/** Answers once the action is done: a stop waits for the server to exit (up to its template's timeout). */
export async function powerServer(id: string, action: PowerAction): Promise<Server> {
  const res = await apiRequest<{ server: Server }>('POST', `${serverPath(id)}/power`, { body: { action } });
  return res.server;
}

export async function getServerStats(id: string): Promise<ServerStats> {
  const res = await apiRequest<{ stats: ServerStats }>('GET', `${serverPath(id)}/stats`);
  return res.stats;
}

export function getServerHistory(id: string, range: RangeId): Promise<ServerHistory> {
  return apiRequest<ServerHistory>('GET', `${serverPath(id)}/history`, { query: { range } });
}

export function deleteServer(id: string, keepData: boolean): Promise<void> {
  return apiRequest('DELETE', serverPath(id), { query: { keepData: keepData ? 'true' : 'false' } });
}

export async function listTemplates(): Promise<Template[]> {
  const res = await apiRequest<{ items: Template[] }>('GET', '/templates');
  return res.items;
}

export async function listNodes(): Promise<DockerNode[]> {
  const res = await apiRequest<{ items: DockerNode[] }>('GET', '/nodes');
  return res.items;
}

export function createConsoleTicket(id: string): Promise<ConsoleTicket> {
  return apiRequest('POST', `${serverPath(id)}/console/ticket`);
}

/** The console WebSocket of a server, on the panel's own origin; the ticket stands in for the session cookie's CSRF check. */
export function consoleSocketUrl(id: string, ticket: string): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api/v1${serverPath(id)}/console?ticket=${encodeURIComponent(ticket)}`;
}

export async function suspendServer(id: string, reason: string): Promise<Server> {
  const res = await apiRequest<{ server: Server }>('POST', `${serverPath(id)}/suspend`, { body: { reason } });
  return res.server;
}

export async function unsuspendServer(id: string): Promise<Server> {
  const res = await apiRequest<{ server: Server }>('POST', `${serverPath(id)}/unsuspend`);
  return res.server;
}

export type ServerBackup = { name: string; bytes: number; createdAt: string };

export const listServerBackups = (id: string) => apiRequest<{ items: ServerBackup[]; max: number; job: BackupJob | null }>('GET', `${serverPath(id)}/backups`);

export async function startServerBackup(id: string): Promise<BackupJob> {
  return (await apiRequest<{ job: BackupJob }>('POST', `${serverPath(id)}/backups`)).job;
}

export async function getServerBackupJob(id: string, jobId: string): Promise<BackupJob> {
  return (await apiRequest<{ job: BackupJob }>('GET', `${serverPath(id)}/backups/jobs/${encodeURIComponent(jobId)}`)).job;
}

export const restoreServerBackup = (id: string, name: string) => apiRequest<{ files: number; bytes: number }>('POST', `${serverPath(id)}/backups/${encodeURIComponent(name)}/restore`);

export const deleteServerBackup = (id: string, name: string) => apiRequest<void>('DELETE', `${serverPath(id)}/backups/${encodeURIComponent(name)}`);

export const serverBackupDownloadUrl = (id: string, name: string) => `/api/v1${serverPath(id)}/backups/${encodeURIComponent(name)}/download`;
