// Shared state of the signed-in session and the hook components use to read it.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { PendingSecondFactor, SecondFactorResult, User } from '../api/types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'anonymous' }
  /** The password was accepted; a code from the authenticator app (or a recovery code) is still due. */
  | { status: 'second-factor'; expiresAt: string | null }
  | {
      status: 'authenticated';
      user: User;
      idleExpiresAt: string | null;
      absoluteExpiresAt: string | null;
      /** The 2FA policy covers the user and 2FA is not set up: only the forced setup screen can be used. */
      twoFactorSetupRequired: boolean;
    };

export type SessionApi = {
  state: SessionState;
  /** The signed-in user, or null. */
  user: User | null;
  /** Store the result of a login, second-factor or setup call. */
  signedIn: (result: SecondFactorResult) => void;
  /** Remember that the password was accepted and a second factor is due. */
  secondFactorPending: (pending: PendingSecondFactor) => void;
  /** Replace the user (after a profile change) without touching the CSRF token. */
  updateUser: (user: User) => void;
  /** Replace the CSRF token (after a password change or when 2FA is turned on). */
  updateCsrfToken: (token: string) => void;
  /** Forget the session locally (after logout or when the server says it is gone). */
  signedOut: () => void;
  /** Ask the server again whether there is a session. */
  refresh: () => Promise<void>;
  /** Recovery codes left after signing in with one (shown as a notice until dismissed), else null. */
  recoveryCodesLeft: number | null;
  clearRecoveryNotice: () => void;
};

export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession must be used inside <SessionProvider>');
  return api;
}
