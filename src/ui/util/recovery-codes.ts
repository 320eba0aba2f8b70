// The text of the recovery-codes file a user downloads after turning on 2FA or generating new codes.
import { formatDateTime } from './format.ts';

export const RECOVERY_CODES_FILENAME = 'aether-recovery-codes.txt';

export function recoveryCodesText(username: string, codes: readonly string[], createdAt: Date): string {
  return [
    'Aether Panel recovery codes',
    `Account: ${username}`,
    `Created: ${formatDateTime(createdAt.toISOString())} (${createdAt.toISOString()})`,
    '',
    'Each code signs you in once when you cannot use your authenticator app. Keep them private and safe.',
    '',
    ...codes,
    '',
  ].join('\n');
}
