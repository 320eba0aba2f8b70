// The paths of the Servers page: the list, and one server's sections (console, files, backups, history, settings) by
// its id.
import { matchPath } from '../../router/match-path.ts';

export const SERVERS_PATH = '/servers';
export const SERVER_DETAIL_PATTERN = '/servers/:id';
export const SERVER_SECTION_PATTERN = '/servers/:id/:section';

export type ServerSection = 'console' | 'files' | 'backups' | 'history' | 'settings';

const SECTIONS: ReadonlyArray<{ id: ServerSection; suffix: string; label: string; scope?: string }> = [
  { id: 'console', suffix: '', label: 'Console' },
  { id: 'files', suffix: '/files', label: 'Files', scope: 'server.files.view' },
  { id: 'backups', suffix: '/backups', label: 'Backups', scope: 'server.backup.view' },
  { id: 'history', suffix: '/history', label: 'History' },
  { id: 'settings', suffix: '/settings', label: 'Settings' },
];

export const serverPath = (id: string, section: ServerSection = 'console') =>
  `${SERVERS_PATH}/${encodeURIComponent(id)}${SECTIONS.find((s) => s.id === section)?.suffix ?? ''}`;

/** The section links of one server's page, for SectionNav: those the user's scopes on the server open. */
export const serverSections = (id: string, myScopes: readonly string[] = []) =>
  SECTIONS.filter((s) => !s.scope || myScopes.includes(s.scope)).map((s) => ({ id: s.id, path: serverPath(id, s.id), label: s.label }));

export type ServersView = { kind: 'list' } | { kind: 'detail'; id: string; section: ServerSection } | { kind: 'unknown' };

/** Server ids are UUIDs; the API accepts letters, digits and dashes. */
const ID = /^[A-Za-z0-9-]{1,64}$/;

/** What a path under /servers shows: the list, a section of one server, or nothing known. */
export function serversViewOf(path: string): ServersView {
  if (path === SERVERS_PATH) return { kind: 'list' };
  const detail = matchPath(SERVER_DETAIL_PATTERN, path)?.['id'];
  if (detail !== undefined) return ID.test(detail) ? { kind: 'detail', id: detail, section: 'console' } : { kind: 'unknown' };
  const params = matchPath(SERVER_SECTION_PATTERN, path);
  const id = params?.['id'];
  const section = SECTIONS.find((s) => s.suffix === `/${params?.['section'] ?? ''}` && s.suffix !== '');
  if (id && ID.test(id) && section) return { kind: 'detail', id, section: section.id };
  return { kind: 'unknown' };
}
