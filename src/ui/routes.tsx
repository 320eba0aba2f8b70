// The one table of in-app pages: path, navigation label, required scopes and the page to render.
import type { ComponentType } from 'preact';
import { AccountPage } from './pages/account.page.tsx';
import { AlertsPage } from './pages/alerts.page.tsx';
import { alertsSections, ALERT_DETAIL_PATTERN } from './pages/alerts/alerts-sections.ts';
import { OpenAlertsBadge } from './pages/alerts/open-alerts-badge.tsx';
import { ApiClientsPage } from './pages/api-clients.page.tsx';
import { AuditPage } from './pages/audit.page.tsx';
import { BackupsPage } from './pages/backups.page.tsx';
import { ChecklistPage } from './pages/checklist.page.tsx';
import { CHECKLIST_PATH } from './pages/checklist/checklist-paths.ts';
import { IncidentPage } from './pages/incident.page.tsx';
import { DashboardPage } from './pages/dashboard.page.tsx';
import { ResourcesPage } from './pages/resources.page.tsx';
import { RolesPage } from './pages/roles.page.tsx';
import { SecurityPage } from './pages/security.page.tsx';
import { securitySections } from './pages/security/security-sections.ts';
import { ServersPage } from './pages/servers.page.tsx';
import { SERVER_DETAIL_PATTERN, SERVER_SECTION_PATTERN } from './pages/servers/servers-paths.ts';
import { SettingsPage } from './pages/settings.page.tsx';
import { UsersPage } from './pages/users.page.tsx';
import { matchPath } from './router/match-path.ts';

export type AppRoute = {
  path: string;
  label: string;
  testId: string;
  /** The user needs at least one of these scopes (none = any signed-in user). `admin` implies all. */
  anyOf: readonly string[];
  page: ComponentType;
  /** Further paths the same page answers (its sections); the navigation entry stays current on them. */
  subPaths?: readonly string[];
  /** Further paths with parameters the same page answers, such as "/alerts/:id" (see matchPath). */
  subPatterns?: readonly string[];
  /** Shown after the label in the navigation entry (e.g. a count of things waiting). */
  navBadge?: ComponentType;
};

export const appRoutes: readonly AppRoute[] = [
  { path: '/', label: 'Dashboard', testId: 'nav-dashboard', anyOf: [], page: DashboardPage },
  // Every signed-in user: the list holds only the servers the user has a scope on.
  {
    path: '/servers',
    label: 'Servers',
    testId: 'nav-servers',
    anyOf: [],
    subPatterns: [SERVER_DETAIL_PATTERN, SERVER_SECTION_PATTERN],
    page: ServersPage,
  },
  { path: '/users', label: 'Users', testId: 'nav-users', anyOf: ['users.view'], page: UsersPage },
  { path: '/roles', label: 'Roles', testId: 'nav-roles', anyOf: ['roles.view'], page: RolesPage },
  { path: '/audit', label: 'Audit log', testId: 'nav-audit', anyOf: ['audit.view'], page: AuditPage },
  {
    path: '/security',
    label: 'Security',
    testId: 'nav-security',
    anyOf: ['monitor.view'],
    subPaths: securitySections.map((section) => section.path),
    page: SecurityPage,
  },
  // Names accounts, ports and host settings: administrators only, as the API says.
  { path: CHECKLIST_PATH, label: 'Security checklist', testId: 'nav-checklist', anyOf: ['admin'], page: ChecklistPage },
  {
    path: '/alerts',
    label: 'Alerts',
    testId: 'nav-alerts',
    anyOf: ['alerts.view'],
    subPaths: alertsSections.map((section) => section.path),
    subPatterns: [ALERT_DETAIL_PATTERN],
    navBadge: OpenAlertsBadge,
    page: AlertsPage,
  },
  // nodes.view: the host the panel runs on is its local Docker node.
  { path: '/resources', label: 'Resources', testId: 'nav-resources', anyOf: ['nodes.view'], page: ResourcesPage },
  { path: '/settings', label: 'Settings', testId: 'nav-settings', anyOf: ['settings.view'], page: SettingsPage },
  { path: '/api-clients', label: 'API clients', testId: 'nav-api-clients', anyOf: ['clients.view', 'clients.edit'], page: ApiClientsPage },
  { path: '/account', label: 'My account', testId: 'nav-account', anyOf: [], page: AccountPage },
  { path: '/backups', label: 'Backups', testId: 'nav-backups', anyOf: ['backups.manage'], page: BackupsPage },
  { path: '/incident', label: 'Incident response', testId: 'nav-incident', anyOf: ['admin'], page: IncidentPage },
];

/** Whether the route answers this path, at its own path, one of its sub-paths or one of its patterns. */
export function routeMatches(route: AppRoute, path: string): boolean {
  if (route.path === path || route.subPaths?.includes(path)) return true;
  return route.subPatterns?.some((pattern) => matchPath(pattern, path) !== null) ?? false;
}

export function findRoute(path: string): AppRoute | undefined {
  return appRoutes.find((route) => routeMatches(route, path));
}
