// The application root: waits for the session, then picks the page for the current path.
import { AppShell } from './components/app-shell.tsx';
import { Loading } from './components/loading.tsx';
import { ForbiddenPage } from './pages/forbidden.page.tsx';
import { LoginPage } from './pages/login.page.tsx';
import { NotFoundPage } from './pages/not-found.page.tsx';
import { SetupPage } from './pages/setup.page.tsx';
import { StartupErrorPage } from './pages/startup-error.page.tsx';
import { TwoFactorRequiredPage } from './pages/two-factor-required.page.tsx';
import { PasswordChangeRequiredPage } from './pages/password-change-required.page.tsx';
import { findRoute } from './routes.tsx';
import { safeNextPath, useLocation } from './router/history.ts';
import { Redirect } from './router/redirect.tsx';
import { hasAnyScope } from './session/scopes.ts';
import { useSession } from './session/session-context.ts';

export function App() {
  const { state, user } = useSession();
  const location = useLocation();
  const { path, query } = location;

  if (state.status === 'loading') {
    return (
      <div class="center-screen">
        <Loading label="Loading Aether Panel…" />
      </div>
    );
  }
  if (state.status === 'error') return <StartupErrorPage message={state.message} />;

  if (path === '/setup') return user ? <Redirect to="/" /> : <SetupPage token={query.get('token')} />;
  if (path === '/login') return user ? <Redirect to={safeNextPath(query.get('next'))} /> : <LoginPage />;

  if (!user) {
    const next = path === '/' ? '' : `?next=${encodeURIComponent(path + window.location.search)}`;
    return <Redirect to={`/login${next}`} />;
  }
  // Until a required new password is chosen, or the required 2FA set up, the server refuses every other call, so no
  // in-app page is shown.
  if (user.passwordChangeRequired) return <PasswordChangeRequiredPage />;
  if (state.status === 'authenticated' && state.twoFactorSetupRequired) return <TwoFactorRequiredPage />;

  const route = findRoute(path);
  let page;
  if (!route) page = <NotFoundPage />;
  else if (!hasAnyScope(user, route.anyOf)) page = <ForbiddenPage />;
  else page = <route.page key={route.path} />;

  return <AppShell currentPath={path}>{page}</AppShell>;
}
