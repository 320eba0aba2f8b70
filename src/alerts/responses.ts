// One-click responses from an alert: ban its address, disable its user, end the user's sessions and revoke their API
// tokens. Each goes through the service that owns it (and is audited there) and is written on the alert's timeline.
import type { Caller } from '../auth/caller.ts';
import { can } from '../auth/permissions.ts';
import { addressKey, isIp } from '../shared/cidr.ts';
import { conflict, forbidden } from '../shared/errors.ts';
import type { AlertsService } from './alerts.service.ts';

export const RESPONSES = ['ban_ip', 'disable_user', 'revoke_user_access'] as const;
export type ResponseAction = (typeof RESPONSES)[number];

/** The scope each response needs besides alerts.manage. */
export const RESPONSE_SCOPE: Record<ResponseAction, string> = { ban_ip: 'monitor.edit', disable_user: 'users.edit', revoke_user_access: 'users.edit' };

type BanOutcome = { banned: true; ban: { ip: string; expiresAt: string | null } } | { banned: false; reason: string };

export type ResponderDeps = {
  alerts: AlertsService;
  ban(caller: Caller, req: { ip: string; durationMs: number | null; reason: string; guardAdminSessions: boolean }): Promise<BanOutcome>;
  findUser(name: string): Promise<{ id: string; username: string; disabled: boolean } | null>;
  disableUser(caller: Caller, id: string): Promise<void>;
  signOutEverywhere(caller: Caller, id: string): Promise<number>;
  revokeClientTokens(caller: Caller, ownerId: string): Promise<number>;
};

export type ResponseResult = { action: ResponseAction; text: string; details: Record<string, unknown> };

export type Responder = ReturnType<typeof createResponder>;

export function createResponder(deps: ResponderDeps) {
  async function userOf(alertUser: string | null) {
    if (!alertUser) throw conflict('no_user', 'This alert is not about a user.');
    const user = await deps.findUser(alertUser);
    if (!user) throw conflict('unknown_user', `"${alertUser}" is not an account of this panel (it may be a name an attacker tried).`);
    return user;
  }

  return {
    async respond(caller: Caller, alertId: number, action: ResponseAction, opts: { durationMinutes: number | null }): Promise<ResponseResult> {
      const scope = RESPONSE_SCOPE[action];
      if (!can(caller.actor, scope)) throw forbidden('forbidden', `You need the "${scope}" permission for this.`);
      const alert = await deps.alerts.row(alertId);
      let result: ResponseResult;
      if (action === 'ban_ip') {
        if (!alert.ip || !isIp(alert.ip)) throw conflict('no_ip', 'This alert has no address to ban.');
        // SECURITY: the responder cannot lock themselves out from the alert either.
        if (caller.ip && addressKey(alert.ip) === addressKey(caller.ip)) throw conflict('own_address', 'That is your own address: banning it would lock you out.');
        const res = await deps.ban(caller, {
          ip: alert.ip,
          durationMs: opts.durationMinutes === null ? null : opts.durationMinutes * 60_000,
          reason: `alert #${alertId}: ${alert.title}`.slice(0, 300),
          guardAdminSessions: false,
        });
        if (!res.banned) {
          throw conflict(res.reason, res.reason === 'already_banned' ? 'This address is already banned.' : 'This address is on the admin IP allowlist or monitor.neverBan: it is never banned.');
        }
        const until = res.ban.expiresAt ? `until ${res.ban.expiresAt}` : 'until lifted';
        result = { action, text: `Banned ${res.ban.ip} ${until}.`, details: { ip: res.ban.ip, expiresAt: res.ban.expiresAt } };
      } else if (action === 'disable_user') {
        const user = await userOf(alert.user);
        if (user.disabled) throw conflict('already_disabled', `The account ${user.username} is already disabled.`);
        await deps.disableUser(caller, user.id);
        result = { action, text: `Disabled the account ${user.username} (its sessions ended).`, details: { userId: user.id } };
      } else {
        const user = await userOf(alert.user);
        const sessions = await deps.signOutEverywhere(caller, user.id);
        const tokens = await deps.revokeClientTokens(caller, user.id);
        result = { action, text: `Ended ${sessions} session${sessions === 1 ? '' : 's'} of ${user.username} and revoked ${tokens} API token${tokens === 1 ? '' : 's'}.`, details: { userId: user.id, sessions, tokens } };
      }
      await deps.alerts.recordAction(caller, alertId, result.text, { action, ...result.details });
      return result;
    },
  };
}
