// Messages for a refused one-click response: the server's reason, and what to do about it where there is something to do.
import { ApiError, describeError } from '../../api/api-error.ts';

const hints: Record<string, string> = {
  already_banned: 'To change the ban, lift it first on the Security page (Bans), then ban again from here.',
  allowlisted: 'Remove it from the admin IP allowlist in Settings first if it really must be banned.',
  own_address: 'Sign in from another address to ban this one.',
  unknown_user: 'Nothing to disable or sign out: there is no such account.',
  newer_alert_open: 'Work on the newer alert instead.',
};

export function describeResponseError(err: unknown): string {
  const text = describeError(err);
  if (!(err instanceof ApiError)) return text;
  const hint = hints[err.code];
  return hint ? `${text} ${hint}` : text;
}
