// Messages for a refused 2FA reset that say what to do, instead of the bare server refusal.
import { ApiError, describeError } from '../../api/api-error.ts';
import type { User } from '../../api/types.ts';

export function describeResetError(err: unknown, user: User): string {
  if (!(err instanceof ApiError)) return describeError(err);
  switch (err.code) {
    case 'two_factor_required':
      return 'Turn on 2FA for your own account first (in My account), then reset the 2FA of other users.';
    case 'two_factor_not_enabled':
      return `${user.username} does not use 2FA, so there is nothing to reset.`;
    case 'use_account_disable':
      return 'To turn off 2FA for your own account, use My account.';
    default:
      return describeError(err);
  }
}
