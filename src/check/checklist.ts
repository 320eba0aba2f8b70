// The checklist: every item of the documentation's Security Checklist in its order, run together, each with a time
// limit; a check that throws or runs out of time becomes a warning with the message, never an error of the whole.
import { adminAllowlistCheck } from './checks/admin-allowlist.check.ts';
import { adminTwoFactorCheck } from './checks/admin-2fa.check.ts';
import { backupsCheck } from './checks/backups.check.ts';
import { certificateRenewalCheck } from './checks/certificate-renewal.check.ts';
import { fail2banCheck } from './checks/fail2ban.check.ts';
import { firewallCheck } from './checks/firewall.check.ts';
import { httpsCertificateCheck } from './checks/https-certificate.check.ts';
import { logMonitoringCheck } from './checks/log-monitoring.check.ts';
import { oauthClientSecretsCheck } from './checks/oauth-client-secrets.check.ts';
import { osUpdatesCheck } from './checks/os-updates.check.ts';
import { panelVersionCheck } from './checks/panel-version.check.ts';
import { passwordPolicyCheck } from './checks/password-policy.check.ts';
import { permissionsReviewCheck } from './checks/permissions-review.check.ts';
import { sshCheck } from './checks/ssh.check.ts';
import type { Check, CheckContext, CheckItem, ChecklistReport, CheckOutcome } from './check.types.ts';

export const CHECKS: readonly Check[] = [
  panelVersionCheck,
  osUpdatesCheck,
  httpsCertificateCheck,
  adminTwoFactorCheck,
  firewallCheck,
  sshCheck,
  passwordPolicyCheck,
  permissionsReviewCheck,
  backupsCheck,
  logMonitoringCheck,
  fail2banCheck,
  adminAllowlistCheck,
  oauthClientSecretsCheck,
  certificateRenewalCheck,
];

export const CHECK_IDS: readonly string[] = CHECKS.map((c) => c.id);

/** Runs one check: its outcome, or a warning saying why it could not be checked. */
async function runOne(check: Check, ctx: CheckContext, limitMs: number): Promise<CheckItem> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ status: 'warn', reason: `Could not check: no answer within ${Math.round(limitMs / 1000)} s.`, fix: null }), limitMs);
  });
  try {
    const outcome = await Promise.race([check.run(ctx), timeout]);
    return { id: check.id, title: check.title, ...outcome };
  } catch (err) {
    // The message only: a stack trace says nothing to the administrator reading the checklist.
    const message = err instanceof Error ? err.message : String(err);
    return { id: check.id, title: check.title, status: 'warn', reason: `Could not check: ${message.split('\n')[0] || 'unknown error'}`, fix: null };
  } finally {
    clearTimeout(timer);
  }
}

export async function runChecklist(ctx: CheckContext, checks: readonly Check[] = CHECKS): Promise<ChecklistReport> {
  // Each command has its own time limit; this one bounds a check that waits on several.
  const limitMs = Math.max(ctx.config.checklist.commandTimeoutSeconds, ctx.config.checklist.networkTimeoutSeconds) * 1000 * 2 + 1000;
  const items = await Promise.all(checks.map((c) => runOne(c, ctx, limitMs)));
  const summary = { pass: 0, warn: 0, fail: 0 };
  for (const item of items) summary[item.status] += 1;
  return { version: ctx.version, checkedAt: new Date(ctx.now).toISOString(), summary, items };
}
