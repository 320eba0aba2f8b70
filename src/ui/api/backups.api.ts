// API calls of panel backups: the list with jobs and the last restore test, making one, following a job, checking,
// deleting, the restore test on demand, and the download address.
import { apiRequest } from './client.ts';

export type BackupProgress = { phase: 'preparing' | 'writing' | 'finishing'; doneBytes: number; totalBytes: number };
export type BackupJob = {
  id: string;
  serverId: string | null;
  label: 'manual' | 'daily' | 'weekly' | 'server';
  withFiles: boolean;
  state: 'running' | 'done' | 'failed';
  progress: BackupProgress;
  startedAt: string;
  finishedAt: string | null;
  file: string | null;
  bytes: number | null;
  error: string | null;
};
export type BackupFile = { name: string; label: 'manual' | 'daily' | 'weekly' | 'other'; bytes: number; createdAt: string; withFiles: boolean };
export type RestoreTest = { at: string; ok: boolean; backup: string | null; detail: string; users: number | null; auditEvents: number | null };
export type BackupsOverview = {
  encryption: 'recipients' | 'passphrase' | null;
  offsite: boolean;
  schedule: { enabled: boolean; dailyAtUtc: string; weeklyOn: string; weeklyAtUtc: string; restoreTestDays: number };
  retention: { daily: number; weekly: number; monthly: number };
  items: BackupFile[];
  jobs: BackupJob[];
  lastRestoreTest: RestoreTest | null;
};
export type VerifiedBackup = { createdAt: string; panelVersion: string; files: number; bytes: number; servers: number; includesServerFiles: boolean };

const path = (name: string) => `/backups/${encodeURIComponent(name)}`;

export const getBackups = () => apiRequest<BackupsOverview>('GET', '/backups');

export async function startBackup(files: boolean): Promise<BackupJob> {
  return (await apiRequest<{ job: BackupJob }>('POST', '/backups', { body: { files } })).job;
}

export async function getBackupJob(id: string): Promise<BackupJob> {
  return (await apiRequest<{ job: BackupJob }>('GET', `/backups/jobs/${encodeURIComponent(id)}`)).job;
}

export const verifyBackup = (name: string) => apiRequest<VerifiedBackup>('POST', `${path(name)}/verify`);

export const deleteBackup = (name: string) => apiRequest<void>('DELETE', path(name));

export async function runRestoreTest(): Promise<RestoreTest> {
  return (await apiRequest<{ result: RestoreTest }>('POST', '/backups/restore-test')).result;
}

export const backupDownloadUrl = (name: string) => `/api/v1${path(name)}/download`;
