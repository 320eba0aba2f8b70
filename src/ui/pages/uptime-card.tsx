// Dashboard card: the panel's own endpoints as the uptime page (Gatus) checks them, with a link to the page.
import { getPanelUptime } from '../api/uptime.api.ts';
import { ErrorMessage } from '../components/error-message.tsx';
import { Loading } from '../components/loading.tsx';
import { useLoad } from '../hooks/use-load.ts';
import { UptimeFigures } from './servers/uptime-badge.tsx';

export function UptimeCard() {
  const uptime = useLoad(getPanelUptime);
  const data = uptime.data;
  return (
    <div class="card" data-testid="dashboard-uptime">
      <h2>Uptime</h2>
      <ErrorMessage message={uptime.error} />
      {uptime.loading ? <Loading /> : null}
      {data && !data.available ? (
        <p class="muted" data-testid="uptime-unavailable">
          The uptime page is not connected: set <span class="mono">gatus.apiUrl</span> in the configuration to where the panel reaches Gatus.
        </p>
      ) : null}
      {data?.available ? (
        <ul class="link-list">
          {data.items.map((item) => (
            <li key={item.key} data-testid="uptime-endpoint" data-name={item.name}>
              <strong>{item.name}</strong> <UptimeFigures {...item} />
            </li>
          ))}
        </ul>
      ) : null}
      {data?.statusPageUrl ? (
        <p>
          <a href={data.statusPageUrl} target="_blank" rel="noopener noreferrer" data-testid="status-page-link">
            Open the status page
          </a>
        </p>
      ) : null}
    </div>
  );
}
