// Loads the session at start-up and keeps user, sign-in step and CSRF token in one place for the whole app.
import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, describeError } from '../api/api-error.ts';
import { getSession } from '../api/auth.api.ts';
import { setCsrfToken, setTwoFactorSetupHandler, setUnauthenticatedHandler } from '../api/client.ts';
import type { PendingSecondFactor, SecondFactorResult, SessionInfo, User } from '../api/types.ts';
import { SessionContext, type SessionApi, type SessionState } from './session-context.ts';

function authenticated(session: SessionInfo): SessionState {
  return {
    status: 'authenticated',
    user: session.user,
    idleExpiresAt: session.idleExpiresAt ?? null,
    absoluteExpiresAt: session.absoluteExpiresAt ?? null,
    twoFactorSetupRequired: session.twoFactorSetupRequired === true,
  };
}

/** The state when /auth/session refuses: a pending second step survives a reload, anything else is signed out. */
function afterRefusedProbe(err: unknown): SessionState {
  if (!(err instanceof ApiError) || err.status !== 401) return { status: 'error', message: describeError(err) };
  if (err.code !== 'second_factor_required') return { status: 'anonymous' };
  // The pending sign-in's CSRF token: the code step sends it with the code.
  const csrfToken = err.details?.['csrfToken'];
  if (typeof csrfToken === 'string') setCsrfToken(csrfToken);
  const expiresAt = err.details?.['expiresAt'];
  return { status: 'second-factor', expiresAt: typeof expiresAt === 'string' ? expiresAt : null };
}

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  const [recoveryCodesLeft, setRecoveryCodesLeft] = useState<number | null>(null);

  const refresh = useCallback(async () => {
    try {
      const session = await getSession();
      setCsrfToken(session.csrfToken);
      setState(authenticated(session));
    } catch (err) {
      setCsrfToken(null);
      setState(afterRefusedProbe(err));
    }
  }, []);

  const signedOut = useCallback(() => {
    setCsrfToken(null);
    setRecoveryCodesLeft(null);
    setState({ status: 'anonymous' });
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(signedOut);
    // A request refused until 2FA is set up (e.g. the policy was raised meanwhile): the fresh session state shows the setup screen.
    setTwoFactorSetupHandler(() => void refresh());
    void refresh();
    return () => {
      setUnauthenticatedHandler(null);
      setTwoFactorSetupHandler(null);
    };
  }, [refresh, signedOut]);

  const api = useMemo<SessionApi>(
    () => ({
      state,
      user: state.status === 'authenticated' ? state.user : null,
      signedIn: (result: SecondFactorResult) => {
        setCsrfToken(result.csrfToken);
        setRecoveryCodesLeft(result.recoveryCodesLeft ?? null);
        setState({
          status: 'authenticated',
          user: result.user,
          idleExpiresAt: null,
          absoluteExpiresAt: null,
          twoFactorSetupRequired: result.twoFactorSetupRequired === true,
        });
        // Sign-in answers carry no expiry times; read them quietly from the session. A finished 2FA setup is only
        // taken from refresh(), so this read can require setup but never end it while recovery codes are on screen.
        getSession().then(
          (session) =>
            setState((prev) =>
              prev.status === 'authenticated' && prev.user.id === session.user.id
                ? {
                    ...prev,
                    idleExpiresAt: session.idleExpiresAt ?? null,
                    absoluteExpiresAt: session.absoluteExpiresAt ?? null,
                    twoFactorSetupRequired: prev.twoFactorSetupRequired || session.twoFactorSetupRequired === true,
                  }
                : prev,
            ),
          () => undefined,
        );
      },
      secondFactorPending: (pending: PendingSecondFactor) => {
        setCsrfToken(pending.csrfToken);
        setState({ status: 'second-factor', expiresAt: pending.expiresAt });
      },
      updateUser: (user: User) => {
        setState((prev) => (prev.status === 'authenticated' ? { ...prev, user } : prev));
      },
      updateCsrfToken: (token: string) => setCsrfToken(token),
      signedOut,
      refresh,
      recoveryCodesLeft,
      clearRecoveryNotice: () => setRecoveryCodesLeft(null),
    }),
    [state, recoveryCodesLeft, signedOut, refresh],
  );

  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}
