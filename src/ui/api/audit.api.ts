// API call for reading the audit log with filters and cursor pagination.
import { apiRequest } from './client.ts';
import type { AuditEvent, AuditFilters, Page } from './types.ts';

export function listAudit(filters: AuditFilters, cursor: string | null, limit = 50): Promise<Page<AuditEvent>> {
  return apiRequest('GET', '/audit', {
    query: {
      type: filters.type.trim(),
      actor: filters.actor.trim(),
      ip: filters.ip.trim(),
      from: filters.from,
      to: filters.to,
      limit,
      cursor,
    },
  });
}
