// The security checklist over HTTP: each item of the documentation's checklist checked on this host and panel
// (administrators only: it names accounts, ports and host settings). Kept a minute; ?refresh=1 runs it again.
import { z } from 'zod';
import { defineRoute, type AnyRoute } from '../route.ts';
import type { Services } from '../services.ts';

const status = z.enum(['pass', 'warn', 'fail']);

export const checklistReportSchema = z.object({
  version: z.string().describe('The running panel version.'),
  checkedAt: z.string().describe('When the checks ran (the report is kept for a minute).'),
  summary: z.object({ pass: z.number().int(), warn: z.number().int(), fail: z.number().int() }),
  items: z.array(
    z.object({
      id: z.string().describe('Stable kebab-case id: panel-version, os-updates, https-certificate, admin-2fa, firewall, ssh, password-policy, permissions-review, backups, log-monitoring, fail2ban, admin-ip-allowlist, oauth-client-secrets, certificate-renewal.'),
      title: z.string(),
      status,
      reason: z.string().describe('What was found.'),
      fix: z.string().nullable().describe('How to fix it; null when there is nothing to do.'),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

export const checklistRoutes = (s: Services): AnyRoute[] => [
  defineRoute({
    method: 'GET',
    path: '/security/checklist',
    summary: 'The security checklist: panel version, OS updates, HTTPS certificate and its renewal, 2FA of administrators, firewall, SSH, password policy, permissions, backups, monitoring, fail2ban, admin IP allowlist and OAuth2 client secrets, each pass, warn or fail with what was found and how to fix it.',
    tag: 'security',
    access: { scope: 'admin' },
    query: z.strictObject({ refresh: z.enum(['0', '1', 'true', 'false']).optional().describe('1: run the checks again instead of answering the report of the last minute.') }),
    responses: { 200: { description: 'The checklist', schema: checklistReportSchema } },
    handler: async (ctx, { query }) => {
      ctx.body = await s.checklist.report({ refresh: query.refresh === '1' || query.refresh === 'true' });
    },
  }),
];
