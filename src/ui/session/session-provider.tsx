// Loads the session at start-up and keeps user and CSRF token in one place for the whole app.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/api-error.ts';
import { getSession } from '../api/auth.api.ts';
import { setCsrfToken, setUnauthenticatedHandler } from '../api/client.ts';
import type { AuthResult, User } from '../api/types.ts';
import { SessionContext, type SessionApi, type SessionState } from './session-context.ts';

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const session = await getSession();
      setCsrfToken(session.csrfToken);
      setState({
        status: 'authenticated',
        user: session.user,
        idleExpiresAt: session.idleExpiresAt ?? null,
        absoluteExpiresAt: session.absoluteExpiresAt ?? null,
      });
    } catch (err) {
      setCsrfToken(null);
      if (err instanceof ApiError && err.status === 401) setState({ status: 'anonymous' });
      else setState({ status: 'error', message: describeError(err) });
    }
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setState({ status: 'anonymous' });
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(signedOut);
    void refresh();
    return () => setUnauthenticatedHandler(null);
  }, [refresh, signedOut]);

  const api = useMemo<SessionApi>(
    () => ({
      state,
      user: state.status === 'authenticated' ? state.user : null,
      signedIn: (result: AuthResult) => {
        setCsrfToken(result.csrfToken);
        setState({ status: 'authenticated', user: result.user, idleExpiresAt: null, absoluteExpiresAt: null });
        // Login and setup answers carry no expiry times; read them quietly from the session.
        getSession().then(
          (session) =>
            setState((prev) =>
              prev.status === 'authenticated' && prev.user.id === session.user.id
                ? { ...prev, idleExpiresAt: session.idleExpiresAt ?? null, absoluteExpiresAt: session.absoluteExpiresAt ?? null }
                : prev,
            ),
          () => undefined,
        );
      },
      updateUser: (user: User) => {
        setState((prev) => (prev.status === 'authenticated' ? { ...prev, user } : prev));
      },
      updateCsrfToken: (token: string) => setCsrfToken(token),
      signedOut,
      refresh,
    }),
    [state, signedOut, refresh],
  );

  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}
