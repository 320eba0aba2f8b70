// Messages for a refused ban or lift that say why and what to do, instead of the bare server refusal.
import { ApiError, describeError } from '../../api/api-error.ts';

export function describeBanError(err: unknown): string {
  if (!(err instanceof ApiError)) return describeError(err);
  switch (err.code) {
    case 'invalid_ip':
      return 'Enter one IP address, for example 203.0.113.7 or 2001:db8::1 (an IPv6 address bans its whole /64). Ranges cannot be banned here.';
    case 'own_address':
      return 'That is your own address: banning it would lock you out of the panel.';
    case 'allowlisted':
      return 'That address is on the admin IP allowlist (or the never-ban list of the configuration), so it is never banned.';
    case 'already_banned':
      return 'That address is already banned. To change the ban, lift it first.';
    case 'ban_not_active':
      return 'That ban was already lifted.';
    case 'not_found':
      return 'That ban no longer exists.';
    default:
      return describeError(err);
  }
}
