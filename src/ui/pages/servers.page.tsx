// Servers page: the servers the user may see (with live use and quick power buttons, and creation), and one server's
// page with its console, live charts and settings.
import { useLocation } from '../router/history.ts';
import { NotFoundPage } from './not-found.page.tsx';
import { ServerDetailView } from './servers/server-detail-view.tsx';
import { ServerListView } from './servers/server-list-view.tsx';
import { serversViewOf } from './servers/servers-paths.ts';
import './servers/servers.css';

export function ServersPage() {
  const { path } = useLocation();
  const view = serversViewOf(path);
  if (view.kind === 'unknown') return <NotFoundPage />;
  if (view.kind === 'detail') return <ServerDetailView key={view.id} id={view.id} section={view.section} />;
  return <ServerListView />;
}
