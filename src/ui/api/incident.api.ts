// API calls of incident response: the lockdown's state, running it, undoing maintenance mode and the new-password
// requirement, and the review of recent changes.
import { apiRequest } from './client.ts';

export type LockdownStep = { step: 'oauth' | 'sessions' | 'sftp' | 'passwords' | 'maintenance' | 'notify'; count: number; detail: string };
export type LockdownReport = { at: string; by: string; steps: LockdownStep[] };
export type LockdownState = { maintenance: { since: string; by: string } | null; lastReport: LockdownReport | null };
export type PasswordReset = 'none' | 'all' | { users: string[] };
export type ReviewItem = { ts: string; who: string | null; ip: string | null; what: string; target: string | null; auditId: string | null };
export type ReviewSection = { id: string; title: string; auditTypes: string[]; items: ReviewItem[]; truncated: boolean };

export const getLockdown = () => apiRequest<LockdownState>('GET', '/lockdown');

export async function runLockdown(input: { password: string; code?: string; passwordReset: PasswordReset; maintenance: boolean; notifyUsers: boolean }): Promise<LockdownReport> {
  return (await apiRequest<{ report: LockdownReport }>('POST', '/lockdown', { body: input })).report;
}

export const setMaintenance = (enabled: boolean) => apiRequest<LockdownState>('POST', '/lockdown/maintenance', { body: { enabled } });

export const liftPasswordReset = () => apiRequest<{ users: number }>('POST', '/lockdown/password-reset/lift');

export const getReview = (days: number) => apiRequest<{ since: string; sections: ReviewSection[] }>('GET', '/incident/review', { query: { days } });
