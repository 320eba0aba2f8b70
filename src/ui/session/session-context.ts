// Shared state of the signed-in session and the hook components use to read it.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { AuthResult, User } from '../api/types.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'anonymous' }
  | { status: 'authenticated'; user: User; idleExpiresAt: string | null; absoluteExpiresAt: string | null };

export type SessionApi = {
  state: SessionState;
  /** The signed-in user, or null. */
  user: User | null;
  /** Store the result of a login or setup call. */
  signedIn: (result: AuthResult) => void;
  /** Replace the user (after a profile change) without touching the CSRF token. */
  updateUser: (user: User) => void;
  /** Replace the CSRF token (after a password change). */
  updateCsrfToken: (token: string) => void;
  /** Forget the session locally (after logout or when the server says it is gone). */
  signedOut: () => void;
  /** Ask the server again whether there is a session. */
  refresh: () => Promise<void>;
};

export const SessionContext = createContext<SessionApi | null>(null);

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession must be used inside <SessionProvider>');
  return api;
}
