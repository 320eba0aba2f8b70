// Helpers for two-factor forms: reading a typed code, grouping the setup key, and policy names.
import type { SecondFactorProof, TwoFactorPolicy } from '../api/types.ts';

/** A code from an authenticator app with the spaces people type or paste removed. */
export function compactCode(input: string): string {
  return input.replace(/\s+/g, '');
}

/** Recovery codes are written in capitals (XXXX-XXXX-XXXX-XXXX); accept them typed in any case. */
export function normalizeRecoveryCode(input: string): string {
  return compactCode(input).toUpperCase();
}

/** One field that takes either: six digits are an app code, anything else is a recovery code. */
export function secondFactorProof(input: string): SecondFactorProof {
  const compact = compactCode(input);
  return /^\d{6}$/.test(compact) ? { code: compact } : { recoveryCode: normalizeRecoveryCode(input) };
}

/** The setup key in groups of four characters, easier to type by hand. */
export function groupKey(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

export const policyOrder: readonly TwoFactorPolicy[] = ['none', 'admins', 'all'];

export const policyLabels: Record<TwoFactorPolicy, string> = {
  none: 'None',
  admins: 'Administrators',
  all: 'All users',
};

/** True when `policy` asks for less than `minimum`. */
export function isBelow(policy: TwoFactorPolicy, minimum: TwoFactorPolicy): boolean {
  return policyOrder.indexOf(policy) < policyOrder.indexOf(minimum);
}

export function toPolicy(value: string): TwoFactorPolicy {
  return policyOrder.find((policy) => policy === value) ?? 'none';
}
