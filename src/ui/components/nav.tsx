// The sidebar navigation; lists only the pages the signed-in user may open.
import { useSession } from '../session/session-context.ts';
import { hasAnyScope } from '../session/scopes.ts';
import { Link } from '../router/link.tsx';
import { appRoutes, routeMatches, type AppRoute } from '../routes.tsx';

type NavProps = {
  currentPath: string;
  open: boolean;
  onNavigate: () => void;
};

export function Nav({ currentPath, open, onNavigate }: NavProps) {
  const { user } = useSession();
  const visible = appRoutes.filter((route) => hasAnyScope(user, route.anyOf));

  const item = (route: AppRoute) => (
    <li key={route.path}>
      <Link
        href={route.path}
        class="nav-link"
        data-testid={route.testId}
        aria-current={routeMatches(route, currentPath) ? 'page' : undefined}
        onClick={onNavigate}
      >
        {route.label}
        {route.navBadge ? <route.navBadge /> : null}
      </Link>
    </li>
  );

  return (
    <nav id="main-nav" class={open ? 'sidebar sidebar-open' : 'sidebar'} aria-label="Main">
      <ul class="nav-list">{visible.map(item)}</ul>
    </nav>
  );
}
