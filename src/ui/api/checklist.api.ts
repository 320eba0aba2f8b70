// API call of the security checklist: the report (kept a minute by the panel), or a fresh run.
import { apiRequest } from './client.ts';

export type CheckStatus = 'pass' | 'warn' | 'fail';
export type CheckItem = { id: string; title: string; status: CheckStatus; reason: string; fix: string | null; details?: Record<string, unknown> };
export type ChecklistReport = { version: string; checkedAt: string; summary: Record<CheckStatus, number>; items: CheckItem[] };

export const getChecklist = (refresh = false) => apiRequest<ChecklistReport>('GET', '/security/checklist', { query: { refresh: refresh ? 1 : null } });
